"""The corpus store: migrations, idempotent atomic writes, read-back, full-text search, failures."""
from __future__ import annotations

import sqlite3
import threading

import pytest

from presslens.document import Document, Entity, Evidence, Mention, Quote, Span, Speaker, TimeExpr
from presslens.ingest import RawArticle
from presslens.store import Store, article_key, migrate
from presslens.store import sqlite as store_sqlite

TEXT = "The harbour master said “the cranes stop on Friday” after the vote. Dockers cheered in Lowmouth."


def make_document(text: str = TEXT, source_id: str = "harbour-1", title: str = "Cranes stop") -> tuple[RawArticle, Document]:
    raw = RawArticle(id=source_id, text=text, title=title, source="fixture.jsonl:1", published="2024-03-01")
    doc = Document(text=text, meta={"id": source_id, "title": title, "presslens": "0.1.0", "pipeline": [{"name": "t"}]})
    why = Evidence("test.fixture", "written by hand for the store test")
    start = text.index("“")
    end = text.index("”") + 1
    doc.add("entities", Entity(id="e1", name="harbour master", type="PERSON",
                               mentions=[Mention(4, 18, "harbour master")], aliases=["master"]))
    doc.add("quotes", Quote(id="q1", kind="direct", start=start, end=end, text=text[start:end],
                            content=Span.of(text, start + 1, end - 1), speaker=Speaker(entity="e1", name="harbour master"),
                            confidence=0.9, evidence=why))
    friday = text.index("Friday")
    doc.add("time", TimeExpr(id="t1", start=friday, end=friday + 6, text="Friday", type="DATE", value="2024-03-08"))
    return raw, doc


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "corpus.db") as opened:
        yield opened


def test_empty_database_is_migrated_to_the_latest_version(tmp_path):
    latest = max(number for number, _, _ in store_sqlite.migrations())
    with Store(tmp_path / "new.db") as store:
        assert store.version == latest
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    assert {"articles", "analyses", "entities", "quotes", "claims", "techniques", "time", "genre", "failures",
            "article_fts", "schema_migrations", "idx_quotes_article"} <= tables


def test_a_migration_another_process_applied_meanwhile_is_not_an_error(tmp_path, monkeypatch):
    # Two batches opening one new file: the second read the version before the first committed its migrations.
    path = tmp_path / "shared.db"
    with Store(path) as first:
        latest = first.version
    real, stale = store_sqlite.current_version, [0]

    def version_read_too_early(conn):
        return stale.pop() if stale else real(conn)

    monkeypatch.setattr(store_sqlite, "current_version", version_read_too_early)
    with Store(path) as second:
        assert second.version == latest
        assert second.count() == 0


def test_a_new_file_another_process_is_writing_opens_once_it_commits(tmp_path):
    # SQLite refuses the switch to WAL at once, busy timeout or not, while another connection holds
    # the write lock of a new file (two batches creating one store at the same moment).
    path = tmp_path / "shared.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE claimed_first(x)")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        with Store(path) as store:
            assert store.count() == 0
    finally:
        release.join()
        other.close()


def test_database_at_an_older_version_is_brought_up_to_date(tmp_path):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, upto=1) == 1
    conn.execute("INSERT INTO articles(article_key, text, created_at) VALUES ('k', 'kept text', 'then')")
    conn.close()
    with Store(path) as store:
        assert store.version >= 2
        versions = [r[0] for r in store.conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert versions == list(range(1, store.version + 1))
        assert store.count() == 1  # data written at version 1 survives
        assert "idx_quotes_article" in {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}


def test_put_writes_every_layer_and_reads_back_the_same_document(store):
    raw, doc = make_document()
    article_id = store.put(raw, doc)
    assert store.get_document(article_id).to_dict() == doc.to_dict()
    quote = store.rows("quotes")[0]
    assert (quote["speaker_name"], quote["content"], quote["article_id"]) == ("harbour master", "the cranes stop on Friday", article_id)
    assert TEXT[quote["start"]:quote["end"]] == "“the cranes stop on Friday”"
    assert store.rows("entities")[0]["mention_count"] == 1
    assert store.rows("time")[0]["value"] == "2024-03-08"
    assert store.rows("claims") == [] and store.rows("techniques") == []  # layers the analysis lacks: no rows
    assert store.has_analysis(article_key(TEXT, "harbour-1"))


def test_put_is_idempotent(store):
    raw, doc = make_document()
    first = store.put(raw, doc)
    assert store.put(raw, doc) == first
    assert store.count() == 1
    assert len(store.rows("quotes")) == 1 and len(store.rows("analyses")) == 1


def test_same_text_with_another_source_id_is_another_article(store):
    store.put(*make_document(source_id="a"))
    store.put(*make_document(source_id="b"))
    assert store.count() == 2


def test_put_is_all_or_nothing(store, monkeypatch):
    raw, doc = make_document()

    def broken(data):
        yield ("t1", "2024", "DATE", "Friday", 1, 2, None)
        raise RuntimeError("disk full halfway through the time layer")

    monkeypatch.setitem(store_sqlite.LAYER_WRITERS, "time", (store_sqlite.LAYER_WRITERS["time"][0], broken))
    with pytest.raises(RuntimeError):
        store.put(raw, doc)
    for table in ("articles", "analyses", "entities", "quotes", "time"):
        assert store.rows(table) == [], table
    assert store.search("cranes") == []
    monkeypatch.undo()
    store.put(raw, doc)
    assert store.count() == 1


def test_full_text_search_and_filters(store):
    store.put(*make_document())
    other = "Farmers in the valley sold their barley early this year because of the drought."
    raw = RawArticle(id="farm", text=other, title="Barley", published="2024-06-01")
    store.put(raw, Document(text=other, meta={"id": "farm", "title": "Barley"}))
    hits = store.search("cranes")
    assert [h["title"] for h in hits] == ["Cranes stop"]
    assert "[cranes]" in hits[0]["snippet"]
    assert store.search("barley drought")[0]["title"] == "Barley"
    assert store.search("no-such-word: (") == []  # punctuation is not FTS syntax, never an error
    assert [h["title"] for h in store.search('"barley')] == ["Barley"]  # a stray quote mark is dropped
    assert [h["title"] for h in store.search('cranes"')] == ["Cranes stop"]
    assert store.search('"') == [] and store.count({"q": '" "'}) == 2  # nothing left to search: no filter
    assert store.count({"q": "barley"}) == 1
    assert store.count({"published_from": "2024-01-01", "published_to": "2024-12-31"}) == 2
    assert [a["title"] for a in store.list_articles(limit=1)] == ["Barley"]


def test_failures_are_recorded_once_per_input_and_code(store):
    store.record_failure("k1", "a.txt", "PL-I10", "a.txt is empty")
    store.record_failure("k1", "a.txt", "PL-I10", "a.txt is empty")
    store.record_failure("k2", "b.txt", "PL-A01", "analyzer crashed")
    assert store.failure_counts() == {"PL-A01": 1, "PL-I10": 1}


def test_missing_article_is_a_clear_error(store):
    from presslens.errors import InputError

    with pytest.raises(InputError) as info:
        store.get_document(42)
    assert info.value.code == "D10"


def test_not_a_database_is_a_clear_error(tmp_path):
    from presslens.store import StoreError

    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 50)
    with pytest.raises(StoreError) as info:
        Store(path)
    assert info.value.code == "D03"


def test_put_accepts_the_analysis_json_text(tmp_path):
    raw, doc = make_document()
    with Store(tmp_path / "a.db") as a, Store(tmp_path / "b.db") as b:
        a.put(raw, doc)
        b.put(raw, doc.to_json())
        assert a.rows("quotes")[0]["content"] == b.rows("quotes")[0]["content"]
        assert a.get_document(1).to_dict() == b.get_document(1).to_dict()
        stored = [row["analysis_json"] for row in b.rows("analyses")]
        assert stored == [doc.to_json()]
