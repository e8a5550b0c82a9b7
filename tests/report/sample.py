"""Hand-built analysed Documents for the report and web tests: every layer, overlapping spans, hostile text."""
from __future__ import annotations

from presslens.document import (Attribution, Block, Claim, Document, Entity, Evidence, Label, Mention, Quote, Role,
                                Span, Speaker, Technique, TimeExpr, TimelineEntry)

ARTICLE = (
    "Harbour talks stall as strike enters second week\n"
    "Photo: dockers outside the gate. Credit: Staff\n"
    "Mayor Lena Ortiz said on Monday: \"We will not let the port die, and the union knows it.\" "
    "Union leader Tom Reyes said the council was \"a disgrace to every worker\". "
    "Reyes added that wages had fallen by 12 percent since 2019.\n"
    "Ortiz warned that the city would lose millions every single day.\n"
)

HOSTILE_TITLE = "<script>window.__pwned=1</script>Hostile \"title\""
HOSTILE = (
    "Hostile sample\n"
    "The spokesman said: \"<script>window.__pwned = 1; document.title = 'PWNED'</script> is fine.\" "
    "Then '\"><img src=x onerror=\"window.__pwned=2;document.title='PWNED'\"> appeared. "
    "See <a href=\"javascript:window.__pwned=3\">this</a> and <svg onload=window.__pwned=4>. "
    "{{ 7*7 }} </textarea></style></script><b onmouseover=window.__pwned=5>bold</b>\n"
)


def find(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


def span(text: str, needle: str, nth: int = 0) -> Span:
    return Span.of(text, *find(text, needle, nth))


def ev(by: str, why: str) -> Evidence:
    return Evidence(by, why)


def sample_document(title: str = "Harbour talks stall", published: str = "2024-03-05", url: str = "https://example.org/a") -> Document:
    t = ARTICLE
    doc = Document(text=t, meta={"id": "harbour", "title": title, "published": published, "url": url,
                                 "pipeline": [{"name": "test", "version": "1"}]})
    s, e = find(t, "Harbour talks stall as strike enters second week")
    doc.add("blocks", Block(s, e, t[s:e], "title", 0.9, ev("blocks.first_line", "the first short line")))
    s, e = find(t, "Photo: dockers outside the gate. Credit: Staff")
    doc.add("blocks", Block(s, e, t[s:e], "caption", 0.8, ev("blocks.photo_prefix", "the line starts with 'Photo:'")))
    ortiz = Entity("e1", "Lena Ortiz", "PERSON",
                   [Mention(*find(t, "Lena Ortiz"), "Lena Ortiz", 0.95), Mention(*find(t, "Ortiz", 1), "Ortiz", 0.9)],
                   [Role(*find(t, "Mayor"), "Mayor")], ["Ortiz"], 0.95, ev("entities.ner", "spaCy PERSON"))
    reyes = Entity("e2", "Tom Reyes", "PERSON",
                   [Mention(*find(t, "Tom Reyes"), "Tom Reyes"), Mention(*find(t, "Reyes", 1), "Reyes")],
                   [Role(*find(t, "Union leader"), "Union leader")], ["Reyes"], 0.9, ev("entities.ner", "spaCy PERSON"))
    doc.extend("entities", [ortiz, reyes])
    q1s, q1e = find(t, "\"We will not let the port die, and the union knows it.\"")
    doc.add("quotes", Quote("q1", "direct", q1s, q1e, t[q1s:q1e], Span.of(t, q1s + 1, q1e - 1), span(t, "said"),
                            Speaker("e1", "Lena Ortiz", *find(t, "Lena Ortiz"), "Lena Ortiz", 0.9,
                                    ev("quotes.colon_intro", "the speaker introduces the quote with a colon")),
                            0.92, ev("quotes.straight_marks", "text between straight double quotes after a colon")))
    q2s, q2e = find(t, "\"a disgrace to every worker\"")
    doc.add("quotes", Quote("q2", "partial", q2s, q2e, t[q2s:q2e], Span.of(t, q2s + 1, q2e - 1), span(t, "said", 1),
                            Speaker("e2", "Tom Reyes", confidence=0.8), 0.85, ev("quotes.partial", "short quoted phrase")))
    q3s, q3e = find(t, "wages had fallen by 12 percent since 2019")
    doc.add("quotes", Quote("q3", "reported", q3s, q3e, t[q3s:q3e], Span.of(t, q3s, q3e), span(t, "added"),
                            Speaker("e2", "Tom Reyes"), 0.7, ev("quotes.reported_that", "verb of saying + that-clause")))
    cs, ce = find(t, "wages had fallen by 12 percent since 2019")
    doc.add("claims", Claim("c1", cs, ce, t[cs:ce], 0.88, Attribution("e2", "Tom Reyes"), "speaker", "q3",
                            markers=[span(t, "12 percent")], confidence=0.8,
                            evidence=ev("claims.number", "a quantity with a change verb")))
    cs, ce = find(t, "the city would lose millions every single day")
    doc.add("claims", Claim("c2", cs, ce, t[cs:ce], 0.61, Attribution("e1", "Lena Ortiz"), "speaker",
                            hedges=[span(t, "would")], confidence=0.6, evidence=ev("claims.model", "classifier score")))
    doc.add("techniques", Technique(*find(t, "a disgrace to every worker"), "a disgrace to every worker",
                                    "Name_Calling,Labeling", None, 0.7, ev("techniques.lexicon", "insult noun")))
    doc.add("techniques", Technique(*find(t, "lose millions every single day"), "lose millions every single day",
                                    "Exaggeration,Minimisation", None, 0.55, ev("techniques.model", "classifier")))
    doc.add("time", TimeExpr("t1", *find(t, "Monday"), "Monday", "DATE", "2024-03-04", "2024-03-05", 0.9,
                             ev("time.weekday", "last Monday before the publication date")))
    doc.add("time", TimeExpr("t2", *find(t, "2019"), "2019", "DATE", "2019", None, 0.95, ev("time.year", "a year")))
    doc.add("timeline", TimelineEntry("t1", "2024-03-04", *find(t, "Mayor Lena Ortiz said on Monday"),
                                      "Mayor Lena Ortiz said on Monday", ["e1"]))
    doc.add("genre", Label("news", 0.81, evidence=ev("genre.model", "reporting verbs and attributions")))
    doc.add("frames", Label("Economic", 0.7, spans=[span(t, "lose millions")]))
    doc.add("stance", Label("against", 0.6, target="e1", evidence=ev("stance.lexicon", "negative words near the mayor")))
    return doc


def hostile_document() -> Document:
    t = HOSTILE
    doc = Document(text=t, meta={"id": "hostile", "title": HOSTILE_TITLE, "url": "javascript:window.__pwned=9",
                                 "warnings": ["<img src=x onerror=window.__pwned=6>"]})
    hostile_name = "<img src=x onerror=window.__pwned=7>"
    doc.add("entities", Entity("e1", hostile_name, "PERSON", [], [], ["\"><script>window.__pwned=8</script>"]))
    qs, qe = find(t, "\"<script>window.__pwned = 1; document.title = 'PWNED'</script> is fine.\"")
    doc.add("quotes", Quote("q1", "direct", qs, qe, t[qs:qe], Span.of(t, qs + 1, qe - 1), None,
                            Speaker("e1", hostile_name), 0.9, ev("quotes.x", "<b onmouseover=alert(1)>why</b>")))
    s, e = find(t, "'\"><img src=x onerror=\"window.__pwned=2;document.title='PWNED'\">")
    doc.add("claims", Claim("c1", s, e, t[s:e], 0.9, Attribution(None, "\"><svg onload=window.__pwned=10>"), "author"))
    s, e = find(t, "<b onmouseover=window.__pwned=5>bold</b>")
    doc.add("techniques", Technique(s, e, t[s:e], "<script>x</script>", None, 0.5))
    return doc
