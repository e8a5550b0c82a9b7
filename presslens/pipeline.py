"""Pipeline: loads spaCy and the analyzers once, orders them by requires/assigns, runs them,
and writes their validated records into the Document.

Analyzers are pure: ``analyze(doc, article, config)`` returns ``{layer: [records]}`` and
writes nothing; the pipeline adds the records through ``Document.add`` (which validates
offsets), rejects a record without evidence (``by`` and ``why``), and stamps ``meta.pipeline``
with each analyzer's name and version. Each layer has one analyzer that assigns it.
The ``[pipeline]`` and ``[ingest]`` settings are typed like an analyzer's Config: a setting
presslens does not know is an error, not ignored (an unknown section too: see config.load_config).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

from . import __version__, config as config_mod, registry
from .document import Document
from .errors import AnalyzerError, ConfigError, PresslensError, SchemaError
from .ingest import Failure, IngestSettings, RawArticle, guard_text
from .artifacts import load_spacy

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())


@dataclass(frozen=True)
class Settings:
    """The [pipeline] section of defaults.toml (documented there)."""
    spacy_model: str = "en_core_web_sm"
    analyzers: tuple[str, ...] = tuple(registry.ANALYZERS)
    batch_size: int = 16
    native_threads: int = 1


@dataclass
class Step:
    name: str
    module: Any
    config: Any


def order_steps(modules: dict[str, Any]) -> list[str]:
    """Topological order by REQUIRES/ASSIGNS; raises ConfigError when a requirement is unmet or when two
    analyzers assign the same layer."""
    assigned_by: dict[str, str] = {}
    for name, mod in modules.items():
        for layer in mod.ASSIGNS:
            if layer in assigned_by:
                raise ConfigError("C23", f"layer {layer!r} is assigned by both {assigned_by[layer]} and {name}",
                                  "select one of them: each layer has one analyzer that assigns it")
            assigned_by[layer] = name
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in ordered:
            return
        if name in visiting:
            raise ConfigError("C20", f"analyzers depend on each other in a cycle through {name!r}",
                              "check REQUIRES/ASSIGNS of the analyzers involved")
        visiting.add(name)
        for layer in modules[name].REQUIRES:
            if layer not in assigned_by:
                raise ConfigError("C21", f"{name} requires {layer!r}, which no selected analyzer assigns",
                                  f"add the analyzer that assigns {layer!r} to [pipeline] analyzers")
            visit(assigned_by[layer])
        visiting.discard(name)
        ordered.append(name)

    for name in modules:
        visit(name)
    return ordered


def check_evidence(layer: str, record: Any) -> None:
    """Every decision names the rule or model that made it and says why: a record without both is rejected."""
    evidence = getattr(record, "evidence", None)
    if evidence is None or not str(getattr(evidence, "by", "") or "").strip() \
            or not str(getattr(evidence, "why", "") or "").strip():
        raise SchemaError("S06", f"{layer} record has no evidence (by and why)",
                          "every decision names the rule or model that made it (by) and one checkable sentence (why)")


_NATIVE_LIMITS: list[Any] = []  # the threadpoolctl handle stays referenced for the life of the process


def limit_native_threads(threads: int) -> None:
    """Cap numpy's BLAS / OpenMP thread pools (see [pipeline] native_threads in defaults.toml)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # comes with scikit-learn; without it the libraries keep their defaults
        return
    _NATIVE_LIMITS[:] = [threadpool_limits(limits=threads)]


class Pipeline:
    def __init__(self, analyzers: Optional[Iterable[str]] = None, config: Optional[dict] = None):
        self.config = config if config is not None else config_mod.load_config()
        settings = self.settings = config_mod.build(Settings, "pipeline", self.config)
        self.ingest = config_mod.build(IngestSettings, "ingest", self.config)
        names = list(analyzers if analyzers is not None else settings.analyzers)
        modules = {name: registry.get(name) for name in names}
        self.steps = [Step(name, modules[name], config_mod.build(modules[name].Config, name, self.config))
                      for name in order_steps(modules)]
        if settings.native_threads > 0:
            limit_native_threads(settings.native_threads)
        self.spacy_model = settings.spacy_model
        self.batch_size = settings.batch_size
        self.nlp = load_spacy(self.spacy_model)
        for step in self.steps:  # load each analyzer's own model once, now, not per article
            warm = getattr(step.module, "warm", None)
            if warm is not None:
                warm(step.config)

    @property
    def stamp(self) -> list[dict[str, Any]]:
        stamp = [{"name": "spacy", "version": self.nlp.meta.get("version"), "model": self.spacy_model}]
        for step in self.steps:
            entry = {"name": step.name, "version": step.module.VERSION}
            model_id = getattr(step.module, "model_id", None)
            if model_id is not None:
                entry["model"] = model_id(step.config)
            stamp.append(entry)
        return stamp

    def new_document(self, raw: RawArticle) -> Document:
        meta = {
            "id": raw.id,
            "title": raw.title,
            "published": raw.published,
            "url": raw.url,
            "author": raw.author,
            "source": raw.source,
            "language": raw.language,
            "warnings": list(raw.warnings),
            "presslens": __version__,
            "pipeline": self.stamp,
        }
        if raw.bold_leads:  # only pages that have them: the meta of every other article stays as it was
            meta["bold_leads"] = [list(span) for span in raw.bold_leads]
        return Document(text=raw.text, meta=meta)

    def analyze(self, raw: RawArticle | str, **meta: Any) -> Document:
        """Analyse one article. Raises InputError/AnalyzerError; use ``pipe`` to keep going past failures."""
        if isinstance(raw, str):
            raw = RawArticle.from_text(raw, **meta)
        result = next(self.pipe([raw]))
        if isinstance(result, Failure):
            raise result.error
        return result

    def pipe(self, raws: Iterable[RawArticle]) -> Iterator[Document | Failure]:
        """Analyse many articles, parsing in batches with ``nlp.pipe``; yields a Document or a Failure per input."""
        pending: list[tuple[RawArticle, Document]] = []
        for raw in raws:
            if isinstance(raw, Failure):
                yield raw
                continue
            try:
                guard_text(raw, self.ingest)
            except PresslensError as exc:
                yield Failure(raw.id, raw.source or "", exc)
                continue
            pending.append((raw, self.new_document(raw)))
            if len(pending) >= self.batch_size:
                yield from self._run_batch(pending)
                pending = []
        if pending:
            yield from self._run_batch(pending)

    def _run_batch(self, pending: list[tuple[RawArticle, Document]]) -> Iterator[Document | Failure]:
        texts = [article.text for _, article in pending]
        for (raw, article), doc in zip(pending, self.nlp.pipe(texts, batch_size=self.batch_size)):
            try:
                self.run_analyzers(doc, article)
            except PresslensError as exc:
                yield Failure(raw.id, raw.source or "", exc)
                continue
            yield article

    def run_analyzers(self, doc: Any, article: Document) -> None:
        try:
            self._run_steps(doc, article)
        finally:  # analyzers may cache per-article work (the shared encoder's windows) on the Doc: drop it here
            for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("presslens.")]:
                del doc.user_data[key]

    def _run_steps(self, doc: Any, article: Document) -> None:
        for step in self.steps:
            try:
                produced = step.module.analyze(doc, article, step.config)
            except PresslensError:
                raise
            except Exception as exc:  # wrap, as spaCy's error handler does: name the analyzer and article
                log.debug("analyzer %s crashed", step.name, exc_info=True)
                raise AnalyzerError(step.name, str(article.meta.get("id")), exc) from exc
            for layer, records in produced.items():
                if layer not in step.module.ASSIGNS:
                    raise ConfigError("C22", f"{step.name} returned layer {layer!r} it does not declare in ASSIGNS",
                                      "add the layer to the analyzer's ASSIGNS")
                article.layers.setdefault(layer, [])
                for record in records:
                    self.add_record(article, step.name, layer, record)

    @staticmethod
    def add_record(article: Document, analyzer: str, layer: str, record: Any) -> None:
        """Add one record; an invalid one (a bad span, a decision without evidence) is dropped and reported in
        meta.warnings, so a single bad record (an analyzer bug) costs that finding, not the whole article."""
        try:
            check_evidence(layer, record)
            article.add(layer, record)
        except SchemaError as exc:
            log.warning("%s produced an invalid %s record: %s", analyzer, layer, exc)
            article.meta.setdefault("warnings", []).append(
                f"{analyzer}: dropped an invalid {layer} record [{exc.full_code}] {exc.message}")
