"""The worker's side of a batch, shared by every engine: a WorkUnit in, one ShardResult per article out.

The local engine calls ``analyze_unit`` in a pool of worker processes, the Ray engine inside a Ray Data
actor; both build the pipeline once per worker and hand it units. The worker reads the unit
(units.read_unit), computes each article's identity (``article_key``), skips the ones the sink held
when the batch started, and analyses the rest as one shard (``analyze_shard``). A bad article becomes a
failed result with an error code; it never takes the unit down with it.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import AbstractSet, Any, Optional

from ..errors import PresslensError
from ..ingest import Failure, RawArticle, guard_text
from ..store.sqlite import key_of
from .units import WorkUnit, read_unit

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# Code for an unexpected (non-presslens) exception that escaped the pipeline on one article.
UNEXPECTED_CODE = "PL-R90"


@dataclass
class ShardResult:
    """The outcome for one article: ``document`` (its analysis JSON, Document.to_json()), an error code +
    message, or ``skipped`` (the sink already held it when the batch started; nothing else is set).

    JSON text, made in the worker: it is cheap to send between processes and the single writer only stores it.
    ``raw`` is None when the input could not be read; a worker sends it without its text (the document
    holds the text; the writer needs only the metadata).
    """

    key: str
    source: str
    raw: Optional[RawArticle]
    document: Optional[str] = None
    code: Optional[str] = None
    message: Optional[str] = None
    words: int = 0
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.document is not None


def count_words(text: str) -> int:
    return len(text.split())


def failed(key: str, source: str, raw: Optional[RawArticle], code: str, message: str) -> ShardResult:
    return ShardResult(key=key, source=source, raw=raw, code=code, message=message,
                       words=count_words(raw.text) if raw is not None else 0)


def from_failure(failure: Failure) -> ShardResult:
    """An input that could not even be read (ingest Failure): keyed by where it came from."""
    return failed(failure.source or failure.article_id, failure.source, None, failure.code, failure.error.message)


def analyze_shard(pipeline: Any, raws: list[RawArticle]) -> list[ShardResult]:
    """Analyse a shard with ``pipeline`` (nlp.pipe batching inside); one result per input, in input order."""
    results: list[Optional[ShardResult]] = [None] * len(raws)
    runnable: list[int] = []
    for index, raw in enumerate(raws):
        try:
            guard_text(raw, pipeline.ingest)
            runnable.append(index)
        except PresslensError as exc:
            results[index] = failed(key_of(raw), raw.source or raw.id, raw, exc.full_code, exc.message)
    try:
        outputs = list(pipeline.pipe([raws[i] for i in runnable]))
    except Exception:  # something broke the batch itself (e.g. in the parser): isolate article by article
        log.debug("shard failed as a whole; retrying article by article", exc_info=True)
        outputs = [one_by_one(pipeline, raws[i]) for i in runnable]
    for index, output in zip(runnable, outputs):
        results[index] = to_result(raws[index], output)
    return [r for r in results if r is not None]


def one_by_one(pipeline: Any, raw: RawArticle) -> Any:
    try:
        return next(iter(pipeline.pipe([raw])))
    except Exception as exc:
        return exc


def to_result(raw: RawArticle, output: Any) -> ShardResult:
    key, source = key_of(raw), raw.source or raw.id
    if isinstance(output, Failure):
        return failed(key, source, raw, output.code, output.error.message)
    if isinstance(output, BaseException):
        return failed(key, source, raw, UNEXPECTED_CODE, f"{type(output).__name__}: {output}")
    return ShardResult(key=key, source=source, raw=raw, document=output.to_json(), words=count_words(raw.text))


def analyze_unit(pipeline: Any, unit: WorkUnit, skip: AbstractSet[str] = frozenset()) -> list[ShardResult]:
    """Read ``unit``, skip the articles whose key is in ``skip`` (or seen earlier in the unit), analyse the rest."""
    results: list[Optional[ShardResult]] = []
    raws: list[RawArticle] = []
    slots: list[int] = []
    seen: set[str] = set()
    for item in read_unit(unit):
        if isinstance(item, Failure):
            results.append(from_failure(item))
            continue
        key = key_of(item)
        if key in skip or key in seen:
            results.append(ShardResult(key=key, source=item.source or item.id, raw=None, skipped=True))
            continue
        seen.add(key)
        slots.append(len(results))
        results.append(None)
        raws.append(item)
    for slot, result in zip(slots, analyze_shard(pipeline, raws)):
        results[slot] = result
    return [without_text(r) for r in results if r is not None]


def without_text(result: ShardResult) -> ShardResult:
    """The result as sent back: the article's text is in its document already (half the bytes to pickle)."""
    if result.raw is not None and result.raw.text:
        result.raw = replace(result.raw, text="")
    return result


def identify(unit: WorkUnit) -> list[tuple[str, str, int]]:
    """(key, source, words) of every item of ``unit``, without analysing: to name an article that kills workers."""
    found = []
    for item in read_unit(unit):
        if isinstance(item, Failure):
            found.append((item.source or item.article_id, item.source, 0))
        else:
            found.append((key_of(item), item.source or item.id, count_words(item.text)))
    return found

