"""Corpus actors: linking by name structure and context, and user corrections that survive re-runs and re-linking."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from presslens.corpus import actors, queries
from presslens.corpus.db import connect
from presslens.corpus.index import index
from presslens.document import Document, Entity, Evidence, Mention, Role
from presslens.store import Store


def actor_of(db: Path, article_title: str, name: str) -> int:
    conn = connect(db)
    try:
        row = conn.execute("SELECT al.actor_id FROM actor_links al JOIN articles a ON a.id = al.article_id "
                           "WHERE a.title = ? AND al.name = ?", (article_title, name)).fetchone()
        return int(row[0])
    finally:
        conn.close()


def test_same_surname_two_people_and_a_bare_surname_linked_by_context(indexed_store):
    bjorn = actor_of(indexed_store, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    anna = actor_of(indexed_store, "Valur win the cup after extra time", "Anna Karlsson")
    bare = actor_of(indexed_store, "Karlsson drops his opposition to Brussels", "Karlsson")
    assert bjorn != anna
    assert bare == bjorn
    info = queries.actor(indexed_store, bjorn)
    link = next(l for l in info["links"] if l["name"] == "Karlsson")
    assert link["evidence"]["by"] == "actors.context" and "Helga Arnadottir" in link["evidence"]["why"]
    assert link["confidence"] < 1
    assert info["name"] == "Bjorn Karlsson" and info["article_count"] == 2
    assert {r["published"] for r in info["roles"]} == {"2024-01-10", "2024-06-15"}
    helga = queries.actor(indexed_store, actor_of(indexed_store, "Iceland's EU debate heats up", "Helga Arnadottir"))
    assert helga["article_count"] == 3 and len(helga["items"]) >= 3


def person(eid: str, name: str, text: str, role: str = "") -> Entity:
    start = text.index(name)
    roles = [Role(text.index(role), text.index(role) + len(role), role)] if role else []
    return Entity(eid, name, "PERSON", [Mention(start, start + len(name), name)], roles, [name], 0.9,
                  Evidence("test", "written by hand"))


def store_with(path: Path, docs: list[tuple[str, str, list[Entity]]]) -> Path:
    with Store(path) as store:
        for text, published, entities in docs:
            doc = Document(text, meta={"title": text[:30], "published": published})
            for e in entities:
                doc.add("entities", e)
            store.put(None, doc)
    return path


def test_bare_surname_without_support_is_kept_apart(tmp_path):
    a = "The architect Christopher Wren drew the dome."
    b = "The chief executive John Wren spoke to investors."
    c = "Wren declined to comment on the weather."
    db = store_with(tmp_path / "w.db", [(a, "2020-01-01", [person("e1", "Christopher Wren", a, "architect")]),
                                        (b, "2020-01-02", [person("e1", "John Wren", b, "chief executive")]),
                                        (c, "2020-01-03", [person("e1", "Wren", c)])])
    index(db, embed=False)
    conn = connect(db)
    rows = conn.execute("SELECT name, actor_id, evidence FROM actor_links ORDER BY article_id").fetchall()
    conn.close()
    assert len({r[1] for r in rows}) == 3
    assert json.loads(rows[2][2])["by"] == "actors.ambiguous"


def test_initial_and_transliteration_link_but_other_given_names_do_not(tmp_path):
    texts = ["Minister Volodymyr Zelensky met the press.", "V. Zelensky signed the decree.",
             "Volodymyr Zelenskyy addressed parliament.", "Olena Zelensky opened the school."]
    names = ["Volodymyr Zelensky", "V. Zelensky", "Volodymyr Zelenskyy", "Olena Zelensky"]
    db = store_with(tmp_path / "z.db", [(t, f"2022-0{i + 1}-01", [person("e1", n, t)])
                                        for i, (t, n) in enumerate(zip(texts, names))])
    index(db, embed=False)
    conn = connect(db)
    ids = [r[0] for r in conn.execute("SELECT actor_id FROM actor_links ORDER BY article_id")]
    why = [json.loads(r[0])["by"] for r in conn.execute("SELECT evidence FROM actor_links ORDER BY article_id")]
    conn.close()
    assert ids[0] == ids[1] == ids[2] != ids[3]
    assert why[1:3] == ["actors.name", "actors.spelling"]


def test_merge_and_split_survive_reruns_and_relinking(fresh_store):
    index(fresh_store)
    bjorn = actor_of(fresh_store, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    anna = actor_of(fresh_store, "Valur win the cup after extra time", "Anna Karlsson")
    conn = connect(fresh_store)
    actors.merge(conn, bjorn, anna)  # a user's (wrong) merge: the user decides
    conn.close()
    for relink in (False, True):
        index(fresh_store, relink=relink)
        assert actor_of(fresh_store, "Valur win the cup after extra time", "Anna Karlsson") == \
            actor_of(fresh_store, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    merged = actor_of(fresh_store, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
    conn = connect(fresh_store)
    result = actors.split(conn, merged, names=["Anna Karlsson"])
    conn.close()
    for relink in (False, True):
        index(fresh_store, relink=relink)
        anna_now = actor_of(fresh_store, "Valur win the cup after extra time", "Anna Karlsson")
        bjorn_now = actor_of(fresh_store, "Minister sets five-year path to EU membership", "Bjorn Karlsson")
        assert anna_now != bjorn_now
        assert actor_of(fresh_store, "Karlsson drops his opposition to Brussels", "Karlsson") == bjorn_now
    assert result["moved"] == 1


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "presslens", *args], capture_output=True, text=True,
                          env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"})


def test_actor_commands(fresh_store):
    assert cli("corpus", "index", "--db", str(fresh_store), "--quiet").returncode == 0
    listed = json.loads(cli("actors", "list", "--db", str(fresh_store), "--name", "Karlsson", "--json").stdout)
    assert {a["name"] for a in listed} == {"Bjorn Karlsson", "Anna Karlsson"}
    bjorn = next(a["id"] for a in listed if a["name"] == "Bjorn Karlsson")
    anna = next(a["id"] for a in listed if a["name"] == "Anna Karlsson")
    shown = cli("actors", "show", str(bjorn), "--db", str(fresh_store))
    assert "Iceland will never join the European Union" in shown.stdout and "actors.context" in shown.stdout
    merged = cli("actors", "merge", str(bjorn), str(anna), "--db", str(fresh_store))
    assert merged.returncode == 0 and f"merged actor {anna} into {bjorn}" in merged.stdout
    split = cli("actors", "split", str(bjorn), "--db", str(fresh_store), "--name", "Anna Karlsson")
    assert split.returncode == 0 and "moved 1 links" in split.stdout
    none = cli("actors", "split", str(bjorn), "--db", str(fresh_store))
    assert none.returncode == 2 and "PL-N14" in none.stderr
    unknown = cli("actors", "show", "9999", "--db", str(fresh_store))
    assert unknown.returncode == 2 and "PL-N10" in unknown.stderr and "Traceback" not in unknown.stderr
