"""Evaluate the stance analyzer on the judgements dev set (evaluate/devset.py): accuracy over the gold
(article, actor) pairs, where a gold actor that no predicted stance targets counts as wrong (``unmatched``
says how often)."""
from __future__ import annotations

import re
from collections import Counter
from typing import Any, Iterable, Optional

from . import devset

# Words ignored when matching a gold actor name to an entity ("Chief Laura Brennan" ~ "Laura Brennan").
NAME_STOP = frozenset({"the", "of", "dr", "mr", "mrs", "ms", "chief", "prime", "minister", "president", "mayor",
                       "senator", "governor"})


def name_tokens(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in NAME_STOP}


def match_entity(name: str, doc: Any) -> Optional[Any]:
    """The predicted stance whose target entity best matches a gold actor name (half its name words)."""
    want = name_tokens(name)
    acronym = "".join(w[0] for w in re.findall(r"[A-Za-z]+", name) if w[0].isupper())
    best, best_key = None, (0.0, 0)
    for label in doc.get("stance"):
        entity = doc.entity(label.target)
        if entity is None:
            continue
        have = set().union(*(name_tokens(t) for t in [entity.name, *entity.aliases, *(m.text for m in entity.mentions)]))
        overlap = len(want & have) / max(len(want), 1)
        if len(acronym) >= 2 and acronym.lower() in have:  # "European Union" ~ "EU"
            overlap = 1.0
        own = name_tokens(entity.name)
        jaccard = len(want & own) / max(len(want | own), 1)
        key = (overlap, jaccard, len(entity.mentions))  # ties: the closer name, then the entity mentioned most
        if key > best_key:
            best, best_key = label, key
    return best if best_key[0] >= 0.5 else None


def score(rows: Iterable[dict], docs: Iterable[Any]) -> dict[str, Any]:
    pairs = []
    unmatched = 0
    for row, doc in zip(rows, docs):
        for gold in row["stance"]:
            label = match_entity(gold["entity"], doc) if doc is not None else None
            unmatched += label is None
            pairs.append((gold["label"], label.label if label else "unmatched"))
    n = len(pairs)
    return {"n": n, "accuracy": round(sum(g == p for g, p in pairs) / n, 4) if n else 0.0, "unmatched": unmatched,
            "confusion": {f"{g}->{p}": c for (g, p), c in sorted(Counter(pairs).items())}}


def evaluate(path: Optional[str] = None, use_meta: bool = True) -> dict[str, dict[str, Any]]:
    """{split: metrics} of the stance layer."""
    return devset.evaluate(score, path, use_meta)
