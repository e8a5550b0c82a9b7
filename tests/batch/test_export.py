"""`presslens export`: JSONL equals `analyze --format jsonl`; Parquet/CSV tables join on article_id; brat offsets hold."""
from __future__ import annotations

import csv
import re
import subprocess

import pytest

from presslens.document import Document, Entity, Mention, Quote, Span, Speaker
from presslens.ingest import RawArticle
from presslens.store import Store

from .conftest import cli, cli_env, small_analyzers


def quoted_document(i: int) -> tuple[RawArticle, Document]:
    text = (f"Harbour story {i}\n\nThe union leader Mara Quell said “the strike goes on\ninto week {i + 2}” "
            f"at a meeting in Lowmouth. Officials declined to comment.")
    doc = Document(text=text, meta={"id": f"s{i}", "title": f"Story {i}"})
    name = text.index("Mara Quell")
    doc.add("entities", Entity(id="e1", name="Mara Quell", type="PERSON",
                               mentions=[Mention(name, name + 10, "Mara Quell")]))
    cue = text.index("said")
    start, end = text.index("“"), text.index("”") + 1
    doc.add("quotes", Quote(id="q1", kind="direct", start=start, end=end, text=text[start:end],
                            content=Span.of(text, start + 1, end - 1), cue=Span.of(text, cue, cue + 4),
                            speaker=Speaker(entity="e1", name="Mara Quell", start=name, end=name + 10,
                                            text="Mara Quell")))
    return RawArticle(id=f"s{i}", text=text, title=f"Story {i}"), doc


@pytest.fixture
def filled_store(tmp_path):
    path = tmp_path / "c.db"
    with Store(path) as store:
        for i in range(3):
            store.put(*quoted_document(i))
    return path


def test_jsonl_export_equals_analyze_jsonl(tmp_path, corpus):
    analyzers = small_analyzers()
    env, db = cli_env(), tmp_path / "c.db"
    analysed = subprocess.run(cli("analyze", str(corpus), "--format", "jsonl", "--analyzers", analyzers),
                              env=env, capture_output=True, text=True, timeout=120)
    assert analysed.returncode == 0, analysed.stderr
    batch = subprocess.run(cli("batch", str(corpus), "--db", str(db), "--analyzers", analyzers, "--workers", "1"),
                           env=env, capture_output=True, text=True, timeout=120)
    assert batch.returncode == 0, batch.stderr
    exported = subprocess.run(cli("export", "--db", str(db), "--format", "jsonl"), env=env, capture_output=True,
                              text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == analysed.stdout
    assert len(exported.stdout.splitlines()) == 12


def test_parquet_tables_join_on_article_id(filled_store, tmp_path):
    import pyarrow.parquet as pq

    out = tmp_path / "pq"
    run = subprocess.run(cli("export", "--db", str(filled_store), "--format", "parquet", "--out", str(out)),
                         env=cli_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert {p.name for p in out.iterdir()} == {f"{t}.parquet" for t in
                                               ("articles", "entities", "quotes", "claims", "techniques", "time", "genre")}
    articles, quotes = pq.read_table(out / "articles.parquet"), pq.read_table(out / "quotes.parquet")
    joined = quotes.join(articles.select(["id", "title"]), keys="article_id", right_keys="id")
    assert joined.num_rows == 3
    assert sorted(joined.column("title").to_pylist()) == ["Story 0", "Story 1", "Story 2"]
    assert set(joined.column("speaker_name").to_pylist()) == {"Mara Quell"}
    assert articles.column("text").to_pylist()[0].startswith("Harbour story 0")
    assert pq.read_table(out / "claims.parquet").num_rows == 0  # an empty layer is an empty, typed table
    assert "checkworthiness" in pq.read_table(out / "claims.parquet").schema.names


def test_csv_tables_join_on_article_id(filled_store, tmp_path):
    with Store(filled_store) as store:
        from presslens.batch.export import export

        export(store, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "articles.csv").open() as fh:
        titles = {row["id"]: row["title"] for row in csv.DictReader(fh)}
    with (tmp_path / "csv" / "entities.csv").open() as fh:
        entities = list(csv.DictReader(fh))
    assert len(entities) == 3 and all(titles[row["article_id"]].startswith("Story") for row in entities)


def test_csv_cells_that_a_spreadsheet_would_run_are_escaped(tmp_path):
    path = tmp_path / "c.db"
    raw, doc = quoted_document(0)
    hostile = '=HYPERLINK("http://evil.example","click")'
    raw.title, doc.meta["title"] = hostile, hostile
    with Store(path) as store:
        store.put(raw, doc)
        from presslens.batch.export import export

        export(store, "csv", tmp_path / "csv")
    with (tmp_path / "csv" / "articles.csv").open() as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["title"] == "'" + hostile  # shown as text, never evaluated
    with (tmp_path / "csv" / "entities.csv").open() as fh:
        assert all(not cell.startswith(("=", "+", "@")) for row in csv.DictReader(fh) for cell in row.values())


def test_brat_files_have_valid_offsets(filled_store, tmp_path):
    out = tmp_path / "brat"
    run = subprocess.run(cli("export", "--db", str(filled_store), "--format", "brat", "--out", str(out)),
                         env=cli_env(), capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    anns = sorted(out.glob("*.ann"))
    assert len(anns) == 3
    from presslens.atomic import UMASK

    assert anns[0].stat().st_mode & 0o777 == 0o666 & ~UMASK  # the usual permissions, not mkstemp's 0600
    for ann in anns:
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        labels, events = [], []
        for line in ann.read_text(encoding="utf-8").splitlines():
            if line.startswith("T"):
                tid, middle, surface = line.split("\t")
                label, where = middle.split(" ", 1)
                pieces = [tuple(map(int, part.split())) for part in where.split(";")]
                assert " ".join(text[s:e] for s, e in pieces) == surface, line
                assert "\n" not in surface
                labels.append(label)
            else:
                events.append(line)
        assert sorted(labels) == ["Attribution", "Content", "Cue", "PERSON", "Source"]
        assert len(events) == 1 and re.fullmatch(r"E1\tAttribution:T\d+ Content:T\d+ Cue:T\d+ Source:T\d+", events[0])


def test_export_needs_out_for_folder_formats(filled_store):
    run = subprocess.run(cli("export", "--db", str(filled_store), "--format", "csv"), env=cli_env(),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "PL-R21" in run.stderr


def test_exports_name_the_corpus_actor_of_entities_and_speakers(filled_store, tmp_path):
    import json

    import pyarrow.parquet as pq

    from presslens.batch.export import export
    from presslens.corpus.index import index

    index(filled_store, embed=False)  # links Mara Quell of the three stories to one actor
    with Store(filled_store) as store:
        export(store, "parquet", tmp_path / "pq")
        export(store, "jsonl", tmp_path / "all.jsonl")
    entities = pq.read_table(tmp_path / "pq" / "entities.parquet").to_pylist()
    quotes = pq.read_table(tmp_path / "pq" / "quotes.parquet").to_pylist()
    actors = pq.read_table(tmp_path / "pq" / "actors.parquet").to_pylist()
    assert len(actors) == 1 and actors[0]["name"] == "Mara Quell" and actors[0]["article_count"] == 3
    assert {e["actor_id"] for e in entities} == {actors[0]["id"]} and len(entities) == 3
    assert {(q["speaker_actor_id"], q["speaker_actor_name"]) for q in quotes} == {(actors[0]["id"], "Mara Quell")}
    lines = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text().splitlines()]
    assert [line["meta"]["actors"] for line in lines] == [{"e1": {"id": actors[0]["id"], "name": "Mara Quell"}}] * 3
    assert all(line["quotes"][0]["speaker"]["entity"] == "e1" for line in lines)  # the speaker's key into meta.actors
