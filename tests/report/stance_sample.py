"""A hand-built analysed Document with many actors, most named once in passing (as in a long opinion piece): the
report must show stance toward the two actors it is about and the one it judges, and fold the rest into one line."""
from __future__ import annotations

from presslens.document import Block, Document, Entity, Evidence, Label, Mention, Role

PASSING = ["Arno Vale", "Bettina Kross", "Cyril Ostrov", "Dana Meli", "Emil Turok", "Fenna Lusk", "Gideon Pratt",
           "Hana Sorel", "Ivo Brandt", "Jola Wren", "Kasimir Oduya", "Lotta Fenn"]


def crowded_document() -> Document:
    lines = ["Governor Mira Halden and the Coastal Union clash over the harbour toll",
             "Photo: the toll gate at dawn. Halden waves.",
             "Governor Mira Halden defended the toll again on Tuesday. The Coastal Union called it theft.",
             "Halden said the money would repair the piers; the Coastal Union said the piers were fine.",
             "The reckless toll office of Port Serin sent letters to everyone.",
             "Among those copied were " + ", ".join(PASSING) + "."]
    text = "\n".join(lines) + "\n"
    doc = Document(text=text, meta={"id": "crowded", "title": "Harbour toll", "pipeline": [{"name": "test", "version": "1"}]})

    def at(needle: str, nth: int = 0) -> tuple[int, int]:
        start = -1
        for _ in range(nth + 1):
            start = text.index(needle, start + 1)
        return start, start + len(needle)

    doc.add("blocks", Block(*at(lines[0]), lines[0], "title", 0.9, Evidence("blocks.first_line", "first line")))
    doc.add("blocks", Block(*at(lines[1]), lines[1], "caption", 0.8, Evidence("blocks.photo_prefix", "Photo:")))

    def entity(eid: str, name: str, kind: str, needles: list[tuple[str, int]], roles: list[str] = ()) -> Entity:
        return Entity(eid, name, kind, [Mention(*at(n, k), n) for n, k in needles],
                      [Role(*at(r), r) for r in roles], confidence=0.9)

    halden = entity("e1", "Mira Halden", "PERSON",
                    [("Mira Halden", 0), ("Halden", 1), ("Mira Halden", 1), ("Halden", 3)], ["Governor"])
    union = entity("e2", "Coastal Union", "ORG", [("Coastal Union", 0), ("Coastal Union", 1), ("Coastal Union", 2)])
    office = entity("e3", "Port Serin", "GPE", [("Port Serin", 0)])
    passing = [entity(f"p{i}", name, "PERSON", [(name, 0)]) for i, name in enumerate(PASSING)]
    doc.extend("entities", [halden, union, office, *passing])
    ev = Evidence("stance.lexicon_proximity", "evaluative words near the mentions")
    doc.add("stance", Label("neutral", 0.9, target="e1", evidence=ev))
    doc.add("stance", Label("unfavourable", 0.55, target="e2", evidence=ev))
    doc.add("stance", Label("unfavourable", 0.48, target="e3", evidence=ev))
    for e in passing:
        doc.add("stance", Label("neutral", 1.0, target=e.id, evidence=ev))
    return doc
