"""techniques: persuasion-technique spans from the shipped ONNX model (no torch, no ../shared needed)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from presslens.analyzers import techniques
from presslens.document import Block, Document

# Text written for these tests (not from any corpus).
RANT = ("The mayor presented the new budget on Tuesday.\n"
        "These corrupt, lying thugs in city hall are destroying our beautiful town with their disgusting, "
        "shameless greed!\n"
        "Photo: Dana Whitfield\n"
        "The council will vote on the plan next month.")
CALM = "The council met on Tuesday. It approved the library budget after a short discussion."


def article_for(text: str, caption: str = "") -> Document:
    article = Document(text=text)
    start = 0
    for line in text.split("\n"):
        if line:
            kind = "caption" if caption and line.startswith(caption) else "paragraph"
            article.add("blocks", Block(start, start + len(line), line, kind))
        start += len(line) + 1
    return article


@pytest.fixture(scope="module")
def config() -> techniques.Config:
    return techniques.Config()


def run(nlp, text: str, config: techniques.Config, caption: str = "") -> list:
    article = article_for(text, caption)
    records = techniques.analyze(nlp(text), article, config)["techniques"]
    article.extend("techniques", records)  # validates offsets and text
    return records


def test_model_loads_from_shipped_artifacts_without_torch():
    code = ("import sys; sys.modules['torch'] = None; sys.modules['transformers'] = None\n"
            "from presslens.analyzers import techniques\n"
            "m = techniques.TechniqueModel()\n"
            "import presslens.artifacts as pm\n"
            "assert str(pm.MODELS_DIR) in str(pm.artifact('encoder'))\n"
            "print(m.id, len(m.labels))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    ident, n = out.stdout.split()
    assert ident.startswith("model:encoder-") and n == "14"


def test_loaded_language_sentence_gets_a_technique(nlp, config):
    records = run(nlp, RANT, config, caption="Photo:")
    rant = RANT.index("These corrupt")
    in_rant = [r for r in records if rant <= r.start < RANT.index("\nPhoto")]
    assert in_rant, records
    labels = {r.technique for r in in_rant}
    assert labels & {"Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation"}, labels
    for r in records:
        assert r.text == RANT[r.start:r.end] and r.text.strip() == r.text
        assert 0.0 <= r.confidence <= 1.0
        # a span the encoder found names the model; one a rule proposed names the rule, then the models
        assert r.evidence.by.split("+")[-1 if r.evidence.by.startswith("techniques.rule.") else 0].startswith(
            "model:") and r.technique in r.evidence.why
        assert "model:encoder-" in r.evidence.by
        assert r.technique in techniques.load_model().labels


def test_caption_blocks_are_skipped(nlp, config):
    loose = techniques.Config(threshold=1e-9)  # every word piece inside: only skipped blocks stay empty
    records = run(nlp, RANT, loose, caption="Photo:")
    photo = RANT.index("Photo:")
    assert records and not [r for r in records if photo <= r.start < photo + len("Photo: Dana Whitfield")]


def test_semeval2023_names(nlp):
    records = run(nlp, RANT, techniques.Config(threshold=1e-9))
    for r in records:
        if r.technique == "Loaded_Language":
            assert r.semeval2023 == "Loaded_Language"
        if r.technique == "Whataboutism,Straw_Men,Red_Herring":
            assert r.semeval2023 is None


def test_calm_text_and_empty_blocks_degrade(nlp, config):
    assert len(run(nlp, CALM, config)) <= 1
    article = Document(text="Only a caption here.")
    article.add("blocks", Block(0, 20, "Only a caption here.", "caption"))
    assert techniques.analyze(nlp(article.text), article, config) == {"techniques": []}


def test_in_the_pipeline(config):
    import presslens

    pipe = presslens.load(analyzers=["blocks", "techniques"])
    doc = pipe.analyze(RANT)
    assert doc.get("techniques")
    stamp = {s["name"]: s for s in doc.meta["pipeline"]}
    assert stamp["techniques"]["model"].startswith("model:encoder-")
    assert "techniques" in doc.to_dict()


def test_cli_spans_and_classify_round_trip(tmp_path: Path):
    from presslens.evaluate.techniques import read_si, read_tc

    (tmp_path / "article42.txt").write_text(RANT, encoding="utf-8")
    (tmp_path / "article7.txt").write_text(CALM, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not an article", encoding="utf-8")
    cli = [sys.executable, "-m", "presslens", "techniques"]
    out = subprocess.run(cli + ["spans", "--articles", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    (tmp_path / "pred.si").write_text(out.stdout)
    rows = read_si(tmp_path / "pred.si")
    assert rows and {a for a, _, _ in rows} <= {"42", "7"}
    assert all(0 <= s < e <= len(RANT if a == "42" else CALM) for a, s, e in rows)
    template = "".join(f"{a}\t?\t{s}\t{e}\n" for a, s, e in rows) + f"42\t?\t{rows[0][1]}\t{rows[0][2]}\n"
    (tmp_path / "template.tc").write_text(template)
    out = subprocess.run(cli + ["classify", "--articles", str(tmp_path), "--spans", str(tmp_path / "template.tc")],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    (tmp_path / "pred.tc").write_text(out.stdout)
    filled = read_tc(tmp_path / "pred.tc")
    assert [(a, s, e) for a, _, s, e in filled] == [(a, s, e) for a, s, e in rows] + [rows[0]]
    assert all(t in techniques.load_model().labels for _, t, _, _ in filled)


def test_cli_bad_template_is_a_clean_error(tmp_path: Path):
    (tmp_path / "article1.txt").write_text(CALM, encoding="utf-8")
    (tmp_path / "bad.tc").write_text("1\t?\tzero\t5\n")
    out = subprocess.run([sys.executable, "-m", "presslens", "techniques", "classify", "--articles", str(tmp_path),
                          "--spans", str(tmp_path / "bad.tc")], capture_output=True, text=True, timeout=120)
    assert out.returncode == 2 and "K12" in out.stderr and "Traceback" not in out.stderr


def test_a_span_ending_inside_a_word_is_widened_to_the_whole_word():
    text = "They were completely deprived of rights."
    start = text.index("completely")
    cut = text.index("deprived") + 4  # a run of word pieces stopping after "depr"
    s, e = techniques.whole_words(text, start + 2, cut)
    assert text[s:e] == "completely deprived"
    assert techniques.whole_words(text, start, cut + 4) == (start, cut + 4)  # already whole: unchanged


def test_hysteresis_grows_a_confident_core_and_drops_weak_runs_alone():
    off = [(0, 4), (5, 9), (10, 14), (15, 19), (20, 24), (25, 29)]
    probs = [0.2, 0.5, 0.2, 0.0, 0.2, 0.2]
    # plain runs (extend = threshold): only the confident piece
    assert [(s, e) for s, e, _ in techniques.decode(off, probs, 0.4)] == [(5, 9)]
    # with extend 0.15 the core takes in its weak neighbours; the weak run with no core stays out
    assert [(s, e) for s, e, _ in techniques.decode(off, probs, 0.4, 0.15)] == [(0, 14)]


def test_depth_6_reads_both_exits_with_the_models_own_settings(nlp):
    text = RANT
    deep = techniques.Config(depth=6)
    model = techniques.load_model(deep.model, deep.threads, deep.depth)
    own = model.decoding()
    assert 0 < own["blend"] < 1 and own["extend"] < own["threshold"]  # tuned on PTC val, see MODEL_CARD.md
    assert model.decoding(threshold=0.9)["threshold"] == 0.9  # a configured value wins
    records = run(nlp, text, deep)
    assert any("thugs" in r.text for r in records)
    assert all("/exit6" in r.evidence.by for r in records)


# ----------------------------------------------------------------------------- the span reader
def reader_tokenizer():
    from tokenizers import Tokenizer

    from presslens.artifacts import artifact

    tok = Tokenizer.from_file(str(artifact("span-reader") / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def test_span_reader_input_marks_the_span_inside_its_sentence():
    from presslens.runtime.span_reader import SPAN_CLOSE, SPAN_OPEN, marked_inputs, span_context

    text = RANT
    segments = techniques.line_segments(text)
    start = text.index("corrupt")
    end = text.index(" thugs") + len(" thugs")
    context = span_context(segments, start, end)
    assert text[context[0]:context[1]].startswith("These corrupt") and text[context[1] - 1] == "!"
    tok = reader_tokenizer()
    x = marked_inputs(text, [(start, end)], [context], tok, 96)[0]
    lo, hi = x["span"]
    assert x["ids"][lo - 1] == SPAN_OPEN and x["ids"][hi] == SPAN_CLOSE
    assert tok.decode(x["ids"][lo:hi]) == "corrupt, lying thugs"
    assert tok.decode(x["ids"][:lo - 1]) == "these"  # context before the span is kept
    # a tight budget keeps the whole span and shares what is left around it
    y = marked_inputs(text, [(start, end)], [context], tok, 10)[0]
    assert len(y["ids"]) <= 8 and tok.decode(y["ids"][y["span"][0]:y["span"][1]]) == "corrupt, lying thugs"


def test_span_reader_is_blended_into_labels_and_named_in_evidence(nlp):
    with_reader = run(nlp, RANT, techniques.Config(rules=""))  # the reader alone (rule candidates need it to decide)
    alone = run(nlp, RANT, techniques.Config(reader=""))
    assert [(r.start, r.end) for r in with_reader] == [(r.start, r.end) for r in alone]  # it labels, never finds
    assert all("span-reader" in r.evidence.by and "span read in its sentence" in r.evidence.why for r in with_reader)
    assert all("span-reader" not in r.evidence.by for r in alone)
    assert [r.confidence for r in with_reader] != [r.confidence for r in alone]


def test_repeated_slogan_is_read_as_repetition(nlp):
    # Text written for this test: the same phrase hammered three times.
    text = ("Build the wall now, the senator told the crowd.\n"
            "The crowd chanted back: build the wall now!\n"
            "Every speech ended the same way: build the wall now.")
    model = techniques.load_model()
    spans = [(m.start(), m.end()) for m in __import__("re").finditer(r"(?i)build the wall now", text)]
    labelled = model.classify(text, techniques.line_segments(text), spans)
    assert [item.label for item in labelled[1:]] == ["Repetition", "Repetition"], labelled


def test_a_span_reads_the_same_alone_and_among_other_spans():
    # The reader's int8 graph scales activations per run: a span read next to longer ones (padded, rescaled) used to
    # move by up to 0.3 in a probability. Each span is its own run now, so its reading ignores its neighbours.
    from presslens.runtime.span_reader import load as load_reader

    reader = load_reader()
    text = RANT + "\nWhy does nobody in this council ever ask where the money went, and who will pay for it all?"
    segments = techniques.line_segments(text)
    target = (text.index("corrupt"), text.index(" thugs") + len(" thugs"))
    others = [(0, text.index(" on Tuesday")), (text.index("Why"), len(text)), (text.index("The council"),
                                                                                 text.index(" next month"))]
    feats = [techniques.reader_features(text, text.lower(), s, e) for s, e in [target] + others]
    alone = reader.probs(text, [target], segments, feats[:1])[0]
    among = reader.probs(text, others[:2] + [target] + others[2:], segments, feats[1:3] + feats[:1] + feats[3:])[2]
    assert abs(alone - among).max() <= 1e-6


def test_span_text_model_relabels_spans_and_is_named_in_evidence(nlp):
    with_labels = run(nlp, RANT, techniques.Config(rules=""))
    without = run(nlp, RANT, techniques.Config(rules="", labels=""))
    assert with_labels and all("technique-labels" in r.evidence.by and "its own words" in r.evidence.why
                               for r in with_labels)
    assert all("technique-labels" not in r.evidence.by for r in without)
    # it changes how sure a label is, not which spans the encoder finds
    assert [(r.start, r.end) for r in with_labels] == [(r.start, r.end) for r in without]
    assert [r.confidence for r in with_labels] != [r.confidence for r in without]
