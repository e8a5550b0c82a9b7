"""A small deterministic stand-in for the analysis pipeline, so the web tests need no models.

It finds straight-quoted passages, names the speaker from "<Name Surname> said" in the same
sentence, marks a few loaded words as techniques, numbers as claims, and labels everything 'news'.
The real pipeline is exercised separately (tests skip it when the analyzers are not installed).
"""
from __future__ import annotations

import re
import threading

from presslens.document import (Attribution, Claim, Document, Entity, Evidence, Label, Mention, Quote, Span, Speaker,
                                Technique)
from presslens.ingest import IngestSettings, RawArticle, guard_text

NAME = re.compile(r"\b([A-Z][a-z]+ [A-Z][a-z]+)\b")
QUOTE = re.compile(r'"([^"\n]{3,400})"')
LOADED = re.compile(r"\b(disgrace|disaster|traitors?|catastrophe)\b", re.IGNORECASE)
NUMBER = re.compile(r"[^.!?\n]*\b\d+ (?:percent|million|jobs)\b[^.!?\n]*")


class FakePipeline:
    def __init__(self) -> None:
        self.calls = 0
        self._busy = threading.Lock()
        self.overlaps = 0  # analyses that ran while another was running (must stay 0: the app serialises them)

    def analyze(self, raw: RawArticle) -> Document:
        if not self._busy.acquire(blocking=False):
            self.overlaps += 1
            self._busy.acquire()
        try:
            self.calls += 1
            guard_text(raw, IngestSettings())
            return self._analyze(raw)
        finally:
            self._busy.release()

    def _analyze(self, raw: RawArticle) -> Document:
        text = raw.text
        doc = Document(text=text, meta={"id": raw.id, "title": raw.title, "published": raw.published, "url": raw.url,
                                        "source": raw.source, "warnings": list(raw.warnings),
                                        "pipeline": [{"name": "fake", "version": "0"}]})
        entities: dict[str, Entity] = {}
        for m in NAME.finditer(text):
            ent = entities.setdefault(m.group(1), Entity(f"e{len(entities) + 1}", m.group(1), "PERSON",
                                                         evidence=Evidence("fake.name", "two capitalised words")))
            ent.mentions.append(Mention(m.start(), m.end(), m.group(1)))
        doc.extend("entities", list(entities.values()))
        for i, m in enumerate(QUOTE.finditer(text)):
            sentence_start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            sentence_end = min([p for p in (text.find(".", m.end()), text.find("\n", m.end())) if p != -1] or [len(text)])
            window = text[sentence_start:sentence_end]
            said = re.search(r"([A-Z][a-z]+ [A-Z][a-z]+) said", window)
            speaker = None
            if said:
                ent = entities.get(said.group(1))
                speaker = Speaker(ent.id if ent else None, said.group(1), confidence=0.8,
                                  evidence=Evidence("fake.said", "Name said"))
            doc.add("quotes", Quote(f"q{i + 1}", "direct", m.start(), m.end(), m.group(0),
                                    Span.of(text, m.start(1), m.end(1)), None, speaker, 0.9,
                                    Evidence("fake.quote", "text between straight double quotes")))
        for m in LOADED.finditer(text):
            doc.add("techniques", Technique(m.start(), m.end(), m.group(0), "Loaded_Language", None, 0.7,
                                            Evidence("fake.loaded", "a loaded word")))
        for i, m in enumerate(NUMBER.finditer(text)):
            s = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
            if s < m.end():
                who = next((e for e in entities.values() if e.name in m.group(0)), None)
                doc.add("claims", Claim(f"c{i + 1}", s, m.end(), text[s:m.end()], 0.7,
                                        Attribution(who.id if who else None, who.name if who else None),
                                        "speaker" if who else "author", confidence=0.6,
                                        evidence=Evidence("fake.number", "a number")))
        doc.add("genre", Label("news", 0.8))
        return doc
