"""Work units: the driver cuts inputs without reading their articles; workers read exactly what ingest reads."""
from __future__ import annotations

import gzip
import json
import pickle

import pytest

from presslens.batch.units import Planner, WorkUnit, materialise, read_unit
from presslens.ingest.html import forget_other_pages
from presslens.ingest import Failure, read

from .conftest import article_text, write_corpus


def described(item):
    if isinstance(item, Failure):
        return ("failure", item.article_id, item.source, item.code, item.error.message)
    return ("article", item.id, item.source, item.text, item.title, item.published, item.url, item.warnings)


# A paragraph every page of a site repeats: trafilatura drops it from a page once it has seen it twice in
# the same process, unless its cache is emptied per page (ingest.html.forget_other_pages).
BOILERPLATE = ("Support independent harbour reporting: our newsroom is funded by readers like you, and every "
               "subscription keeps these stories free for everyone in the county.")


def html_page(i: int, boilerplate: bool = False) -> str:
    extra = f"<p>{BOILERPLATE}</p>" if boilerplate else ""
    return (f"<html><head><title>Harbour page {i}</title></head><body><article><h1>Harbour page {i}</h1><p>"
            + article_text(100 + i).replace("\n\n", "</p><p>") + f"</p>{extra}</article></body></html>")


@pytest.fixture
def awkward_inputs(tmp_path):
    """Inputs whose reading has edge cases: BOM + CRLF + blank and broken lines, gzip, a U+2028 inside a JSON
    string (str.splitlines breaks there), a cp1252 line, whitespace-only files, a broken gzip, text and HTML."""
    folder = tmp_path / "in"
    folder.mkdir()
    lines = write_corpus(tmp_path / "base.jsonl", 23).read_text(encoding="utf-8").splitlines()
    lines[3:3] = ["", "   "]
    lines.insert(12, "{not json")
    (folder / "bom_crlf.jsonl").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n\n\n").encode("utf-8"))
    with gzip.open(folder / "packed.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
    odd = json.dumps({"id": "sep", "text": "one\u2028two harbour workers"}, ensure_ascii=False)
    (folder / "separator.jsonl").write_text("\n".join(lines[:4] + [odd] + lines[4:9]) + "\n", encoding="utf-8")
    (folder / "legacy.jsonl").write_bytes("\n".join(lines[:5]).encode("utf-8") + b"\n" + json.dumps(
        {"id": "cafe", "text": "caf\u00e9 owners joined the strike"}, ensure_ascii=False).encode("cp1252") + b"\n")
    (folder / "blank.jsonl").write_text("  \n\n", encoding="utf-8")
    (folder / "nbsp.jsonl").write_text("\u00a0\n", encoding="utf-8")
    (folder / "broken.jsonl.gz").write_bytes(b"\x1f\x8b not really gzip")
    (folder / "note.txt").write_text(article_text(7), encoding="utf-8")
    (folder / "page.html").write_text(html_page(1), encoding="utf-8")
    return folder


@pytest.mark.parametrize("shard_size", [1, 4, 16])
def test_units_read_exactly_what_ingest_reads(awkward_inputs, shard_size):
    forget_other_pages()
    expected = [described(item) for item in read(str(awkward_inputs))]
    planner = Planner([str(awkward_inputs)], shard_size)
    found = []
    for unit in planner.units():
        if isinstance(unit, Failure):
            found.append(described(unit))
            continue
        unit = pickle.loads(pickle.dumps(unit))  # as a worker receives it
        found.extend(described(item) for item in read_unit(unit))
        assert found[-1] is not None
    assert found == expected
    assert (planner.total, planner.exact) == (len(expected), True)


def test_jsonl_is_cut_into_line_ranges_without_payload(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 10)
    units = list(Planner([str(corpus)], 4).units())
    assert [(u.first_line, u.articles, u.payload) for u in units] == [(1, 4, None), (5, 4, None), (9, 2, None)]
    assert units[-1].span[1] == corpus.stat().st_size
    packed = tmp_path / "c.jsonl.gz"
    packed.write_bytes(gzip.compress(corpus.read_bytes()))
    gz_units = list(Planner([str(packed)], 4).units())
    assert [u.span for u in gz_units] == [u.span for u in units]
    assert all(u.payload for u in gz_units)  # a gzip stream cannot be entered midway: the bytes travel


def test_units_for_ray_carry_their_bytes(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 5)
    (tmp_path / "a.txt").write_text(article_text(1), encoding="utf-8")
    units = [materialise(u) for u in Planner([str(corpus), str(tmp_path / "a.txt")], 2).units()]
    assert all(u.payload for u in units)
    corpus.unlink()
    (tmp_path / "a.txt").unlink()  # a Ray actor on another machine reads nothing from this one
    assert sum(len(read_unit(u)) for u in units) == 6
    assert not any(isinstance(item, Failure) for u in units for item in read_unit(u))


def test_total_is_an_estimate_until_a_big_file_is_enumerated(tmp_path):
    corpus = write_corpus(tmp_path / "big.jsonl", 400, paragraphs=2)  # more than the 256 KiB sampled
    planner = Planner([str(corpus)], 16)
    assert not planner.exact
    assert 300 < planner.total < 500
    units = list(planner.units())
    assert (planner.total, planner.exact) == (400, True)
    assert sum(u.articles for u in units) == 400


def test_a_file_that_vanishes_after_the_scan_is_one_failure(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 6)
    units = list(Planner([str(corpus)], 3).units())
    corpus.write_text("", encoding="utf-8")
    items = read_unit(units[1])
    assert len(items) == 1 and items[0].code == "PL-R60"


def test_a_picked_item_is_the_same_article(tmp_path):
    corpus = write_corpus(tmp_path / "c.jsonl", 6)
    unit = list(Planner([str(corpus)], 6).units())[0]
    whole = read_unit(unit)
    picked = read_unit(WorkUnit(**{**unit.__dict__, "pick": 4}))
    assert [described(i) for i in picked] == [described(whole[4])]
