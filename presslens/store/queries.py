"""Read-side queries for the web app: filtered full-text search, facets, per-entity quotes, dashboard aggregates.

Each function takes a :class:`~presslens.store.Store` and returns plain dicts/lists. They run on the
store's one connection under its lock (the store serialises every call; SQLite in WAL mode lets other
processes read meanwhile). Every value reaches SQL as a bound parameter, never by string formatting.

A person is identified across articles by name: a quote's speaker is the name of the entity it is
linked to in its own article (``quotes.speaker_entity`` -> ``entities.entity_id``), else the
speaker name the quote analyzer gave. Outlets are the host of the article's URL.
"""
from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from typing import Any, Optional
from urllib.parse import urlsplit

from ..errors import InputError
from .sqlite import ARTICLE_COLUMNS, Store, fts_query

# Facet lists (speakers, entities, techniques) show this many of the most frequent values.
FACET_LIMIT = 200
# Dashboard bar charts show this many people / claimants (the long tail is unreadable in a bar chart).
TOP_N = 15
# Dates in the dashboard are grouped by month (YYYY-MM): per-day bars are too sparse for a news corpus.
DATE_PREFIX = 7

# The speaker of a quote, across articles: its entity's canonical name, else the quote's own speaker name.
SPEAKER = "coalesce(e.name, q.speaker_name)"
SPEAKER_JOIN = ("LEFT JOIN entities e ON e.article_id = q.article_id AND e.analysis_id = q.analysis_id "
                "AND e.entity_id = q.speaker_entity")
# The genre of an article is its best-scoring genre label.
TOP_GENRE = ("(SELECT g.label FROM genre g WHERE g.article_id = articles.id ORDER BY g.score DESC, g.id LIMIT 1)")

# Match markers for FTS5 snippets: control characters that cannot occur in normalised article text,
# so the page can highlight matches without ever treating article text as markup.
HIT_OPEN, HIT_CLOSE = "\x02", "\x03"

FILTERS = ("q", "speaker", "entity", "actor", "technique", "genre", "date_from", "date_to")


def _rows(store: Store, sql: str, params: tuple = ()) -> list[dict[str, Any]]:
    with store._lock:  # the store's own lock: its connection is shared by every thread of the web app
        try:
            return [dict(row) for row in store.conn.execute(sql, params).fetchall()]
        except sqlite3.OperationalError as exc:
            if "fts5" in str(exc).lower() or "syntax" in str(exc).lower() or "unterminated" in str(exc).lower():
                raise InputError("W20", f"search query cannot be parsed: {exc}",
                                 "use plain words, or put a phrase in double quotes") from exc
            raise


# The dashboard's outlet axis names articles without a URL this way (lists show nothing for them).
NO_OUTLET = "without a URL"


def outlet_of(url: Optional[str], source: Optional[str] = None) -> str:
    """The host of the article's URL without www.; "" when there is no URL (or it names no host)."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed URL (an unclosed IPv6 bracket)
        host = None
    if host:
        return host[4:] if host.startswith("www.") else host
    return ""


# ---------------------------------------------------------------------------- search with filters
def where_clause(filters: dict[str, Any]) -> tuple[str, list[Any]]:
    """SQL WHERE over ``articles`` for the corpus filters; unknown or empty filters are ignored."""
    clauses: list[str] = []
    params: list[Any] = []
    if filters.get("q"):
        clauses.append("articles.id IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)")
        params.append(fts_query(str(filters["q"])))
    if filters.get("speaker"):
        clauses.append(f"articles.id IN (SELECT q.article_id FROM quotes q {SPEAKER_JOIN} "
                       f"WHERE lower({SPEAKER}) = lower(?))")
        params.append(filters["speaker"])
    if filters.get("entity"):
        clauses.append("articles.id IN (SELECT article_id FROM entities WHERE lower(name) = lower(?))")
        params.append(filters["entity"])
    if filters.get("actor"):  # a corpus actor (presslens corpus index): every article that mentions them
        clauses.append("articles.id IN (SELECT article_id FROM actor_links WHERE actor_id = ?)")
        params.append(_actor_id(filters["actor"]))
    if filters.get("technique"):
        clauses.append("articles.id IN (SELECT article_id FROM techniques WHERE technique = ?)")
        params.append(filters["technique"])
    if filters.get("genre"):
        clauses.append(f"{TOP_GENRE} = ?")
        params.append(filters["genre"])
    if filters.get("date_from"):
        clauses.append("articles.published >= ?")
        params.append(str(filters["date_from"]))
    if filters.get("date_to"):
        clauses.append("articles.published <= ?")
        params.append(str(filters["date_to"]))
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def _actor_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InputError("W23", f"the actor filter takes an actor id, not {str(value)[:40]!r}",
                         "pick the actor from the list, or see `presslens actors list --db DB`") from None


def search_articles(store: Store, filters: Optional[dict[str, Any]] = None, limit: int = 50,
                    offset: int = 0) -> dict[str, Any]:
    """Articles matching every filter, best FTS match first when there is a query, else newest first.

    Returns ``{"total": n, "items": [...]}``; each item has the article columns, its genre, counts of
    quotes/claims/techniques and, with a query, ``snippet``: a list of {text, hit} parts (hit = a match).
    """
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v not in (None, "")}
    if filters.get("q") and not fts_query(str(filters["q"])):  # only quote marks: nothing matches it
        return {"total": 0, "items": [], "filters": filters}
    where, params = where_clause(filters)
    columns = ", ".join(f"articles.{c}" for c in ARTICLE_COLUMNS)
    counts = ("(SELECT count(*) FROM quotes WHERE article_id = articles.id) AS quotes, "
              "(SELECT count(*) FROM claims WHERE article_id = articles.id) AS claims, "
              "(SELECT count(*) FROM techniques WHERE article_id = articles.id) AS techniques, "
              f"{TOP_GENRE} AS genre")
    if filters.get("q"):
        # the FTS match drives the order (bm25 rank) and gives the snippet; the other filters narrow it
        rest, rest_params = where_clause({k: v for k, v in filters.items() if k != "q"})
        rest = rest.replace("WHERE ", "AND ", 1)
        sql = (f"SELECT {columns}, {counts}, snippet(article_fts, 1, ?, ?, '…', 14) AS snippet "
               f"FROM article_fts JOIN articles ON articles.id = article_fts.rowid "
               f"WHERE article_fts MATCH ? {rest} ORDER BY rank LIMIT ? OFFSET ?")
        query_params = (HIT_OPEN, HIT_CLOSE, fts_query(str(filters["q"])), *rest_params, int(limit), int(offset))
    else:
        sql = f"SELECT {columns}, {counts}, NULL AS snippet FROM articles {where} ORDER BY articles.id DESC LIMIT ? OFFSET ?"
        query_params = (*params, int(limit), int(offset))
    items = _rows(store, sql, query_params)
    total = _rows(store, f"SELECT count(*) AS n FROM articles {where}", tuple(params))[0]["n"]
    for item in items:
        item["outlet"] = outlet_of(item.get("url"))
        item["snippet"] = snippet_parts(item["snippet"]) if item.get("snippet") else None
    return {"total": int(total), "items": items, "filters": filters}


def snippet_parts(snippet: str) -> list[dict[str, Any]]:
    parts = []
    for i, chunk in enumerate(snippet.split(HIT_OPEN)):
        text, _, rest = chunk.partition(HIT_CLOSE) if i else ("", "", chunk)
        if text:
            parts.append({"text": text, "hit": True})
        if rest:
            parts.append({"text": rest, "hit": False})
    return parts


def article_row(store: Store, article_id: int) -> Optional[dict[str, Any]]:
    columns = ", ".join(f"articles.{c}" for c in ARTICLE_COLUMNS)
    rows = _rows(store, f"SELECT {columns}, {TOP_GENRE} AS genre FROM articles WHERE articles.id = ?",
                 (int(article_id),))
    return rows[0] if rows else None


def has_analysis(store: Store, article_id: int) -> bool:
    return bool(_rows(store, "SELECT 1 AS x FROM analyses WHERE article_id = ? LIMIT 1", (int(article_id),)))


# ---------------------------------------------------------------------------- facets
def facets(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The values the corpus filters offer, most frequent first, with how many articles have each."""
    return {
        "speakers": _rows(store, f"SELECT {SPEAKER} AS value, count(DISTINCT q.article_id) AS articles "
                                 f"FROM quotes q {SPEAKER_JOIN} WHERE {SPEAKER} IS NOT NULL "
                                 "GROUP BY value ORDER BY articles DESC, value LIMIT ?", (FACET_LIMIT,)),
        "entities": _rows(store, "SELECT name AS value, count(DISTINCT article_id) AS articles FROM entities "
                                 "WHERE name IS NOT NULL GROUP BY name ORDER BY articles DESC, name LIMIT ?",
                          (FACET_LIMIT,)),
        "actors": _rows(store, "SELECT id AS value, name AS label, article_count AS articles FROM actors "
                               "ORDER BY article_count DESC, name LIMIT ?", (FACET_LIMIT,)),
        "techniques": _rows(store, "SELECT technique AS value, count(DISTINCT article_id) AS articles "
                                   "FROM techniques GROUP BY technique ORDER BY articles DESC, technique LIMIT ?",
                            (FACET_LIMIT,)),
        "genres": _rows(store, f"SELECT genre AS value, count(*) AS articles FROM "
                               f"(SELECT {TOP_GENRE} AS genre FROM articles) WHERE genre IS NOT NULL "
                               "GROUP BY genre ORDER BY articles DESC, genre"),
    }


# ---------------------------------------------------------------------------- entities
def list_entities(store: Store, query: Optional[str] = None, limit: int = 100) -> list[dict[str, Any]]:
    """People and organisations across the corpus (by name): type, articles, mentions, quotes."""
    like = f"%{query}%" if query else "%"
    rows = _rows(store,
                 "SELECT name, type, count(DISTINCT article_id) AS articles, sum(mention_count) AS mentions "
                 "FROM entities WHERE name IS NOT NULL AND name LIKE ? GROUP BY lower(name) "
                 "ORDER BY articles DESC, mentions DESC, name LIMIT ?", (like, int(limit)))
    quoted = {r["name"].lower(): r["n"] for r in _rows(
        store, f"SELECT {SPEAKER} AS name, count(*) AS n FROM quotes q {SPEAKER_JOIN} "
               f"WHERE {SPEAKER} IS NOT NULL GROUP BY lower({SPEAKER})")}
    for row in rows:
        row["quotes"] = quoted.get(row["name"].lower(), 0)
    return rows


def entity_profile(store: Store, name: str) -> Optional[dict[str, Any]]:
    """One person/organisation across the corpus: types, roles, aliases, and every quote in date order.

    None when neither an entity nor a speaker has this name.
    """
    records = _rows(store, "SELECT e.type, e.roles, e.aliases, e.article_id FROM entities e "
                           "WHERE lower(e.name) = lower(?)", (name,))
    quotes = _rows(store,
                   f"SELECT q.quote_id, q.kind, q.content, q.confidence, q.article_id, a.title, a.published, a.url, "
                   f"{SPEAKER} AS speaker FROM quotes q {SPEAKER_JOIN} JOIN articles a ON a.id = q.article_id "
                   f"WHERE lower({SPEAKER}) = lower(?) "
                   "ORDER BY a.published IS NULL, a.published, a.id, q.start", (name,))
    if not records and not quotes:
        return None
    types = Counter(r["type"] for r in records if r["type"])
    roles: Counter = Counter()
    aliases: Counter = Counter()
    for r in records:
        roles.update(_json_list(r["roles"]))
        aliases.update(_json_list(r["aliases"]))
    per_date: dict[str, int] = defaultdict(int)
    for q in quotes:
        per_date[q["published"] or "undated"] += 1
    canonical = quotes[0]["speaker"] if quotes else name
    return {"name": canonical, "type": types.most_common(1)[0][0] if types else None,
            "roles": [r for r, _ in roles.most_common()], "aliases": [a for a, _ in aliases.most_common()
                                                                      if a.lower() != name.lower()],
            "articles": len({r["article_id"] for r in records} | {q["article_id"] for q in quotes}),
            "quotes": quotes, "quotes_per_date": [{"date": d, "quotes": n} for d, n in sorted(per_date.items())]}


def has_actors(store: Store) -> bool:
    """Whether the store is indexed into corpus actors (``presslens corpus index``)."""
    return bool(_rows(store, "SELECT 1 AS x FROM actors LIMIT 1"))


def actors_called(store: Store, name: str) -> list[int]:
    """Ids of the actors whose canonical name or one of whose aliases is ``name`` (case aside)."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return []
    rows = _rows(store, "SELECT id, name, aliases FROM actors WHERE lower(name) = lower(?) OR aliases LIKE ?",
                 (name, f"%{json.dumps(name.strip(), ensure_ascii=False)[1:-1]}%"))
    return [int(r["id"]) for r in rows
            if wanted in {n.casefold() for n in [r["name"], *_json_list(r["aliases"])]}]


def _json_list(value: Optional[str]) -> list[str]:
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return [str(i) for i in items if i] if isinstance(items, list) else []


# ---------------------------------------------------------------------------- dashboard
def dashboard(store: Store) -> dict[str, Any]:
    """Aggregates for the dashboard charts: techniques per outlet and per month, most-quoted people,
    claims per claimant, and corpus totals."""
    tech_rows = _rows(store, "SELECT t.technique, a.url, a.published FROM techniques t "
                             "JOIN articles a ON a.id = t.article_id")
    per_outlet: dict[str, Counter] = defaultdict(Counter)
    per_month: dict[str, Counter] = defaultdict(Counter)
    for row in tech_rows:
        per_outlet[row["technique"]][outlet_of(row["url"]) or NO_OUTLET] += 1
        per_month[row["technique"]][(row["published"] or "undated")[:DATE_PREFIX]] += 1
    # people only: a quote linked to an entity typed PERSON (organisations and unlinked speakers are left out)
    quoted = _rows(store, f"SELECT {SPEAKER} AS name, count(*) AS quotes, count(DISTINCT q.article_id) AS articles "
                          f"FROM quotes q {SPEAKER_JOIN} WHERE e.type = 'PERSON' "
                          f"GROUP BY lower({SPEAKER}) ORDER BY quotes DESC, name LIMIT ?", (TOP_N,))
    claimants = _rows(store, "SELECT coalesce(claimant_name, '(author)') AS name, count(*) AS claims, "
                             "avg(checkworthiness) AS mean_checkworthiness FROM claims "
                             "GROUP BY lower(name) ORDER BY claims DESC, name LIMIT ?", (TOP_N,))
    totals = _rows(store, "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM quotes) AS quotes, "
                          "(SELECT count(*) FROM claims) AS claims, (SELECT count(*) FROM techniques) AS techniques, "
                          "(SELECT count(DISTINCT lower(name)) FROM entities) AS entities")[0]
    return {"totals": totals,
            "techniques_per_outlet": _stacked(per_outlet),
            "techniques_per_month": _stacked(per_month),
            "most_quoted": quoted,
            "claims_per_claimant": claimants}


def _stacked(table: dict[str, Counter]) -> dict[str, Any]:
    """{series: Counter(category -> n)} -> one shared, sorted category axis and a count list per series."""
    categories = sorted({c for counter in table.values() for c in counter})
    series = [{"name": name, "values": [table[name].get(c, 0) for c in categories]}
              for name in sorted(table, key=lambda n: -sum(table[n].values()))]
    return {"categories": categories, "series": series}
