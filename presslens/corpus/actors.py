"""Corpus actors: every stored entity cluster linked to one person or organisation across articles.

Linking reads the per-article clusters (name, aliases, roles) from the store's ``entities`` table, article by
article in publication order, and decides for each cluster:

- a user correction (``actor_pins``) decides first: clusters with the same pin are one actor;
- a person with a given name links to the actor whose names agree on surname and given name (or its initial);
  the same given name with a surname spelled alike (transliterations) links with lower confidence;
- a bare surname ("Wren") links only with support: it is the only person of that surname in the corpus, or the
  article's other actors and role words match one candidate better than every other; otherwise it becomes an
  actor of its own, so two people who share a surname are never merged on the surname alone;
- organisations and places link on their folded name or an alias.

Every link carries ``evidence`` ({by, why}) and a ``confidence``.
"""
from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Optional

import jellyfish

from ..errors import InputError
from .names import PersonName, fold, given_compatible, org_key, parse

PERSON = "PERSON"
# Surnames spelled this alike (Jaro-Winkler), with the same given name, are taken for one person transliterated.
SURNAME_SPELLING = 0.9
# Role words too common to tell two people apart.
ROLE_STOP = frozenset({"the", "of", "a", "an", "and", "for", "in", "on", "at", "to", "former", "new", "its", "his",
                       "her", "their", "s"})


@dataclass
class ActorState:
    id: int
    type: str
    pin: Optional[str] = None
    names: Counter = field(default_factory=Counter)
    parsed: set = field(default_factory=set)     # PersonName of every name form
    co: Counter = field(default_factory=Counter)  # actor id -> articles mentioning both
    role_words: Counter = field(default_factory=Counter)
    dirty: bool = False


def role_words(roles: Iterable[str]) -> set[str]:
    return {w for r in roles for w in fold(r).split() if w not in ROLE_STOP and len(w) > 2}


class Linker:
    """Links the entity clusters of one article after another; state is the actors already in the store."""

    def __init__(self, conn: Any):
        self.conn = conn
        self.actors: dict[int, ActorState] = {}
        self.by_surname: dict[str, set[int]] = defaultdict(set)
        self.by_given: dict[str, set[int]] = defaultdict(set)
        self.by_key: dict[tuple[str, str], set[int]] = defaultdict(set)
        self.by_pin: dict[str, int] = {}
        self.pins = {r[0]: r[1] for r in conn.execute("SELECT entity_key, pin FROM actor_pins")}
        for row in conn.execute("SELECT id, type, pin FROM actors"):
            self._add_state(ActorState(int(row[0]), row[1] or "", row[2]))
        rows = conn.execute("SELECT al.actor_id, al.article_id, al.name, e.aliases, e.roles FROM actor_links al "
                            "JOIN entities e ON e.article_id = al.article_id AND e.entity_id = al.entity_id")
        per_article: dict[int, set[int]] = defaultdict(set)
        for actor_id, article_id, name, aliases, roles in rows:
            state = self.actors.get(int(actor_id))
            if state is None:
                continue
            self._learn(state, [name or "", *json.loads(aliases or "[]")], json.loads(roles or "[]"))
            per_article[int(article_id)].add(state.id)
        for ids in per_article.values():
            for a in ids:
                self.actors[a].co.update(ids - {a})
        for state in self.actors.values():
            state.dirty = False

    # -- state ---------------------------------------------------------------------------
    def _add_state(self, state: ActorState) -> None:
        self.actors[state.id] = state
        if state.pin:
            self.by_pin[state.pin] = state.id

    def _learn(self, state: ActorState, names: list[str], roles: list[str]) -> None:
        for n in names:
            if not n:
                continue
            state.names[n] += 1
            if state.type == PERSON:
                p = parse(n)
                if p.surname:
                    state.parsed.add(p)
                    self.by_surname[p.surname].add(state.id)
                    if p.given and len(p.given[0]) > 1:
                        self.by_given[p.given[0]].add(state.id)
            else:
                self.by_key[(state.type, org_key(n))].add(state.id)
        state.role_words.update(role_words(roles))
        state.dirty = True

    def _new_actor(self, name: str, type_: str, pin: Optional[str] = None) -> ActorState:
        cur = self.conn.execute("INSERT INTO actors(name, type, pin) VALUES (?, ?, ?)", (name, type_, pin))
        state = ActorState(int(cur.lastrowid), type_, pin)
        self._add_state(state)
        return state

    # -- decisions -------------------------------------------------------------------------
    def _context(self, state: ActorState, co_ids: set[int], roles: set[str]) -> tuple[int, list[str]]:
        shared = [a for a in co_ids if state.co.get(a)]
        words = sorted(roles & set(state.role_words))
        why = []
        if shared:
            why.append("also mentioned with " + ", ".join(self.label(a) for a in shared[:3]))
        if words:
            why.append("role words " + ", ".join(repr(w) for w in words[:3]))
        return len(shared) + len(words), why

    def label(self, actor_id: int) -> str:
        names = self.actors[actor_id].names
        return names.most_common(1)[0][0] if names else f"actor {actor_id}"

    def _person(self, entity: dict, co_ids: set[int], roles: set[str]) -> tuple[Optional[int], float, str, str]:
        forms = [parse(n) for n in [entity["name"], *entity["aliases"]] if n]
        forms = [f for f in forms if f.surname]
        if not forms:
            return None, 0.5, "actors.new", "no surname to link by"
        main = max(forms, key=lambda f: (f.full and not f.initials_only, len(f.given)))
        surnames = {f.surname for f in forms}
        candidates = set().union(*(self.by_surname.get(s, set()) for s in surnames)) if surnames else set()

        def how(state: ActorState, form: PersonName) -> str:
            kinds = [given_compatible(form.given, p.given) for p in state.parsed if p.surname == form.surname]
            for kind in ("same", "initial", "missing"):
                if kind in kinds:
                    return kind
            return "conflict"

        if main.full:
            kind = "same" if not main.initials_only else "initial"
            fits = [c for c in candidates if how(self.actors[c], main) in ("same", "initial")
                    and any(p.full for p in self.actors[c].parsed)]
            if not fits and not main.initials_only:
                fuzzy = [c for c in self.by_given.get(main.given[0], set()) if c not in candidates and any(
                    p.given[:1] == main.given[:1] and jellyfish.jaro_winkler_similarity(p.surname, main.surname)
                    >= SURNAME_SPELLING for p in self.actors[c].parsed)]
                if len(fuzzy) == 1:
                    return fuzzy[0], 0.75, "actors.spelling", (f"same given name and a surname spelled alike as "
                                                               f"{self.label(fuzzy[0])!r}")
            if len(fits) == 1:
                c = fits[0]
                exact = how(self.actors[c], main) == "same"
                return c, (0.95 if exact else 0.8), "actors.name", (
                    f"{'same surname and given name' if exact else 'same surname, given name matches its initial'}"
                    f" as {self.label(c)!r}")
            if len(fits) > 1:
                return self._by_context(fits, co_ids, roles, entity["name"])
            return None, 0.9 if kind == "same" else 0.7, "actors.new", "first person with this name in the corpus"
        fits = [c for c in candidates if how(self.actors[c], main) != "conflict"]
        if len(fits) == 1:
            score, why = self._context(self.actors[fits[0]], co_ids, roles)
            if score:
                return fits[0], 0.8, "actors.surname_context", (f"the only person surnamed {main.surname!r} in the "
                                                                f"corpus; " + "; ".join(why))
            return fits[0], 0.6, "actors.surname_unique", (f"the only person surnamed {main.surname!r} in the corpus "
                                                           f"({self.label(fits[0])!r}); no context to confirm it")
        if len(fits) > 1:
            return self._by_context(fits, co_ids, roles, entity["name"])
        return None, 0.6, "actors.new", "surname only, and no person of that surname in the corpus yet"

    def _by_context(self, fits: list[int], co_ids: set[int], roles: set[str], name: str
                    ) -> tuple[Optional[int], float, str, str]:
        scored = sorted(((self._context(self.actors[c], co_ids, roles), c) for c in fits), key=lambda x: -x[0][0])
        (best, why), c = scored[0]
        if best > 0 and best > scored[1][0][0]:
            return c, 0.7, "actors.context", f"{name!r} fits {len(fits)} actors; context picks {self.label(c)!r}: " \
                + "; ".join(why)
        return None, 0.5, "actors.ambiguous", (f"{name!r} fits " + ", ".join(repr(self.label(x)) for x in fits[:4])
                                               + " and nothing in the article tells them apart: kept apart")

    def _other(self, entity: dict) -> tuple[Optional[int], float, str, str]:
        keys = {org_key(n) for n in [entity["name"], *entity["aliases"]] if n}
        fits = set().union(*(self.by_key.get((entity["type"], k), set()) for k in keys)) if keys else set()
        if len(fits) == 1:
            c = next(iter(fits))
            return c, 0.9, "actors.name", f"same name as {self.label(c)!r}"
        if len(fits) > 1:
            c = max(fits, key=lambda a: sum(self.actors[a].names.values()))
            return c, 0.6, "actors.name", f"same name as {len(fits)} actors; the most mentioned, {self.label(c)!r}"
        return None, 0.9, "actors.new", "first mention of this name in the corpus"

    # -- one article --------------------------------------------------------------------------
    def link_article(self, article_id: int, article_key: str, entities: list[dict]) -> list[tuple]:
        """Link every cluster of one article; returns the actor_links rows written."""
        links: list[tuple[dict, int, float, str, str]] = []
        # unambiguous full names first, so the article's other actors are known as context for bare surnames
        order = sorted(entities, key=lambda e: (e["type"] == PERSON and not parse(e["name"]).full))
        linked: set[int] = set()
        for e in order:
            key = f"{article_key}:{e['entity_id']}"
            pin = self.pins.get(key)
            if pin is not None:
                actor = self.by_pin.get(pin)
                state = self.actors[actor] if actor is not None else self._new_actor(e["name"], e["type"], pin)
                links.append((e, state.id, 1.0, "actors.user", "a user's correction (merge or split) put it here"))
                linked.add(state.id)
                continue
            roles = role_words(e["roles"])
            if e["type"] == PERSON:
                actor, conf, by, why = self._person(e, linked, roles)
            else:
                actor, conf, by, why = self._other(e)
            if actor is None:
                actor = self._new_actor(e["name"], e["type"]).id
            links.append((e, actor, conf, by, why))
            linked.add(actor)
        rows = []
        for e, actor, conf, by, why in links:
            state = self.actors[actor]
            self._learn(state, [e["name"], *e["aliases"]], e["roles"])
            state.co.update(linked - {actor})
            rows.append((actor, article_id, e["entity_id"], f"{article_key}:{e['entity_id']}", e["name"], conf,
                         json.dumps({"by": by, "why": why}, ensure_ascii=False)))
        self.conn.executemany("INSERT OR REPLACE INTO actor_links(actor_id, article_id, entity_id, entity_key, name, "
                              "confidence, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        return rows

    def dirty(self) -> list[int]:
        return [a for a, s in self.actors.items() if s.dirty]


def article_entities(conn: Any, article_id: int) -> list[dict]:
    rows = conn.execute("SELECT entity_id, name, type, roles, aliases FROM entities WHERE article_id = ? "
                        "ORDER BY id", (article_id,)).fetchall()
    return [{"entity_id": r[0], "name": r[1] or "", "type": r[2] or "", "roles": json.loads(r[3] or "[]"),
             "aliases": [a for a in json.loads(r[4] or "[]") if a]} for r in rows if r[1]]


def refresh(conn: Any, actor_ids: Iterable[int]) -> None:
    """Recompute name, aliases, roles (with dates) and article count of actors from their links."""
    for actor_id in actor_ids:
        rows = conn.execute(
            "SELECT al.name, e.aliases, e.roles, a.published, a.id FROM actor_links al JOIN articles a ON "
            "a.id = al.article_id LEFT JOIN entities e ON e.article_id = al.article_id AND e.entity_id = al.entity_id "
            "WHERE al.actor_id = ? ORDER BY a.published, a.id", (actor_id,)).fetchall()
        if not rows:
            conn.execute("DELETE FROM actors WHERE id = ?", (actor_id,))
            continue
        names = Counter(r[0] for r in rows if r[0])
        full = Counter({n: c for n, c in names.items() if len(n.split()) > 1}) or names
        aliases = sorted({*names, *(a for r in rows for a in json.loads(r[1] or "[]") if a)})
        roles, seen = [], set()
        for r in rows:
            for text in json.loads(r[2] or "[]"):
                if text and (text, r[3]) not in seen:
                    seen.add((text, r[3]))
                    roles.append({"text": text, "published": r[3], "article": int(r[4])})
        name = max(full.items(), key=lambda x: (x[1], len(x[0])))[0]
        conn.execute("UPDATE actors SET name = ?, aliases = ?, roles = ?, article_count = ? WHERE id = ?",
                     (name, json.dumps(aliases, ensure_ascii=False), json.dumps(roles, ensure_ascii=False),
                      len({int(r[4]) for r in rows}), actor_id))


# ---------------------------------------------------------------------------- corrections
def _actor(conn: Any, actor_id: int) -> dict:
    row = conn.execute("SELECT id, name, type, pin FROM actors WHERE id = ?", (actor_id,)).fetchone()
    if row is None:
        raise InputError("N10", f"no actor {actor_id} in this store",
                         "list the actors with `presslens actors list --db DB`")
    return dict(row)


def _pin(conn: Any, keys: list[str], pin: str, action: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    conn.executemany("INSERT OR REPLACE INTO actor_pins(entity_key, pin, action, created_at) VALUES (?, ?, ?, ?)",
                     [(k, pin, action, stamp) for k in keys])


def new_pin(conn: Any, stem: str) -> str:
    n = conn.execute("SELECT count(DISTINCT pin) FROM actor_pins").fetchone()[0]
    return f"{stem}{int(n) + 1}-{time.time_ns() % 10**9}"


def merge(conn: Any, keep: int, other: int) -> dict:
    """Make ``other`` part of ``keep``; the choice is pinned, so re-linking keeps them together."""
    if keep == other:
        raise InputError("N11", "an actor cannot be merged with itself", "give two different actor ids")
    a, b = _actor(conn, keep), _actor(conn, other)
    conn.execute("BEGIN IMMEDIATE")
    try:
        keys = [r[0] for r in conn.execute("SELECT entity_key FROM actor_links WHERE actor_id IN (?, ?)",
                                           (keep, other))]
        pin = new_pin(conn, "merge")
        _pin(conn, keys, pin, "merge")
        conn.execute("UPDATE actor_links SET actor_id = ?, confidence = 1.0, evidence = ? WHERE actor_id = ?",
                     (keep, json.dumps({"by": "actors.user", "why": f"merged by a user from {b['name']!r}"}), other))
        conn.execute("UPDATE actors SET pin = ? WHERE id = ?", (pin, keep))
        conn.execute("DELETE FROM actors WHERE id = ?", (other,))
        refresh(conn, [keep])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {"actor": keep, "merged": other, "name": a["name"]}


def split(conn: Any, actor_id: int, names: list[str] = (), articles: list[int] = ()) -> dict:
    """Move the links of ``actor_id`` whose name is one of ``names`` or whose article is one of ``articles`` to a new
    actor; both sides are pinned, so re-linking keeps them apart."""
    _actor(conn, actor_id)
    wanted = {fold(n) for n in names}
    rows = conn.execute("SELECT id, entity_key, name, article_id FROM actor_links WHERE actor_id = ?",
                        (actor_id,)).fetchall()
    moved = [r for r in rows if fold(r[2] or "") in wanted or int(r[3]) in set(articles)]
    if not moved:
        raise InputError("N12", f"no link of actor {actor_id} has that name or article",
                         "see its names and articles with `presslens actors show ID --db DB`")
    if len(moved) == len(rows):
        raise InputError("N13", "that would move every link: nothing would be left to split from",
                         "name fewer of its names or articles")
    conn.execute("BEGIN IMMEDIATE")
    try:
        stay_pin, move_pin = new_pin(conn, "split"), new_pin(conn, "split") + "b"
        moved_ids = {int(r[0]) for r in moved}
        _pin(conn, [r[1] for r in rows if int(r[0]) not in moved_ids], stay_pin, "split")
        _pin(conn, [r[1] for r in moved], move_pin, "split")
        cur = conn.execute("INSERT INTO actors(name, type, pin) SELECT name, type, ? FROM actors WHERE id = ?",
                           (move_pin, actor_id))
        new_id = int(cur.lastrowid)
        conn.executemany("UPDATE actor_links SET actor_id = ?, confidence = 1.0, evidence = ? WHERE id = ?",
                         [(new_id, json.dumps({"by": "actors.user", "why": "split off by a user"}), i)
                          for i in moved_ids])
        conn.execute("UPDATE actors SET pin = ? WHERE id = ?", (stay_pin, actor_id))
        refresh(conn, [actor_id, new_id])
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return {"actor": actor_id, "new": new_id, "moved": len(moved)}
