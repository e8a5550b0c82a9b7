"""Who said what in the layouts and phrasings a reader still got wrong: one table per class of article, each row a
short text written for these tests (plain text and HTML), with what a reader expects the quotes layer to say."""
from __future__ import annotations

import pytest

from presslens.ingest import read_document

from .quote_helpers import quote_starting, speaker_name


@pytest.fixture(scope="module")
def analyse():
    import presslens

    pipeline = presslens.load(analyzers=["blocks", "entities", "quotes"])

    def run(text: str, html: bool = False, **meta):
        if html:
            raw = read_document(text.encode("utf-8"), "interview.html", meta.pop("published", None), html_hint=True)
            return pipeline.analyze(raw)
        return pipeline.analyze(text, **meta)

    return run


def speech(doc) -> list:
    return [q for q in doc.get("quotes") if q.kind in ("direct", "partial", "reported")]


# ----------------------------------------------------------------------------------------- 1. interview transcripts
INTERVIEWS = [
    # (text, is HTML, meta, [(answer/question opening words, expected speaker)])
    ("Tariffs will not save the mills, says economist Lena Novak\n\n"
     "In an interview with the Harbour Ledger, the trade economist Lena Novak explains why the duties change little.\n\n"
     "Q: Do the tariff changes help the steel towns?\n\n"
     "Novak: The tariff changes nothing for the mills. The orders went abroad years ago.\n\n"
     "Q: What would help?\n\n"
     "Novak: Training, and cheaper power. Nothing else moves the numbers.",
     False, {}, [("The tariff changes nothing", "Lena Novak"), ("Training, and cheaper power", "Lena Novak"),
                 ("Do the tariff changes", "Harbour Ledger"), ("What would help", "Harbour Ledger")]),
    ("Ferry strike: the port director answers\n\n"
     "Omar Dace, who runs the port of Lowmouth, spoke to us about the strike.\n\n"
     "Q: Is the deal done?\n\n"
     "A: Not yet. We still need two signatures.\n\n"
     "Q: When will it be signed?\n\n"
     "A: Next week, I hope.",
     False, {"author": "Ruth Okafor"}, [("Not yet", "Omar Dace"), ("Next week", "Omar Dace"),
                                       ("Is the deal done", "Ruth Okafor"), ("When will it be signed", "Ruth Okafor")]),
    ("<html><head><title>Water prices will rise, says Ines Varga</title></head><body><article>"
     "<h1>Water prices will rise, says Ines Varga</h1>"
     "<p>In an interview with the Coastal Herald, the water board chair Ines Varga explains why bills are going up "
     "across the region this winter and what households can do about it.</p>"
     "<p><b>Coastal Herald:</b> Why are the bills going up again this winter, after two years of increases?</p>"
     "<p><b>Varga:</b> The pipes are old and the repairs cannot wait any longer. Every year we delay costs more.</p>"
     "<p><b>Coastal Herald:</b> What can households do about it in the meantime?</p>"
     "<p><b>Varga:</b> Fix the dripping taps first. It sounds small, but it adds up over a whole year.</p>"
     "</article></body></html>",
     True, {}, [("The pipes are old", "Ines Varga"), ("Fix the dripping taps", "Ines Varga"),
                ("Why are the bills", "Coastal Herald"), ("What can households", "Coastal Herald")]),
    ("<html><head><title>An interview with Tobias Fenn</title><meta name='author' content='Mara Quell'></head><body>"
     "<article><h1>An interview with Tobias Fenn</h1>"
     "<p>The transport union leader Tobias Fenn has called a strike for next month. We asked him why he thinks it "
     "will work where the last one failed.</p>"
     "<p><strong>Q:</strong> Why strike now, in the middle of the holiday season?</p>"
     "<p><strong>A:</strong> Because now is when the company listens. Nobody listens in February.</p>"
     "<p><strong>Q:</strong> Will the members follow you this time?</p>"
     "<p><strong>A:</strong> They voted for it by four to one, so yes, they will follow.</p>"
     "</article></body></html>",
     True, {}, [("Because now is when", "Tobias Fenn"), ("They voted for it", "Tobias Fenn"),
                ("Why strike now", "Mara Quell")]),
]


@pytest.mark.parametrize("text,html,meta,expected", INTERVIEWS)
def test_interview_turns_are_direct_quotes_of_the_named_person(analyse, text, html, meta, expected):
    doc = analyse(text, html, **meta)
    for words, who in expected:
        q = quote_starting(doc, words)
        assert q.kind == "direct", (words, q.kind)
        assert speaker_name(q) == who, (words, q.speaker, q.evidence)
        assert q.evidence.by == "quotes.interview_turn"


HEADLINE_INTERVIEWS = [
    ("“The border is a fiction”: an interview with historian Marek Ostrowski\n\n"
     "Marek Ostrowski has written six books on the region.", "The border is a fiction", "Marek Ostrowski"),
    ("“We were never asked”: an interview with the farmer Ana Ruiz\n\n"
     "Ana Ruiz has farmed the valley for thirty years.", "We were never asked", "Ana Ruiz"),
]


@pytest.mark.parametrize("text,words,who", HEADLINE_INTERVIEWS)
def test_headline_quote_of_an_interview_is_the_interviewees(analyse, text, words, who):
    q = quote_starting(analyse(text), words)
    assert q.kind == "direct" and speaker_name(q) == who


def test_a_list_of_labels_that_names_no_one_is_no_transcript(analyse):
    text = ("Notes for visitors\n\nNote: the museum is closed on Mondays.\n\nUpdate: the cafe reopens in May.\n\n"
            "Tickets are sold at the door.")
    assert speech(analyse(text)) == []


# ----------------------------------------------------------------------------------------- 3. speakers across a line
LINE_BREAKS = [
    ("Mara Quell and Tobias Fenn\n\nGerman Chancellor Ilse Varga said the summit would go ahead.",
     "the summit would go ahead", "Ilse Varga"),
    ("Protesters outside the court\n\nJudge Omar Dace said the hearing would resume on Friday.",
     "the hearing would resume", "Omar Dace"),
    ("Ruth Okafor (left) and Len Bastable\n\n“We will sign it tomorrow,” Mayor Ines Varga said.",
     "We will sign it tomorrow", "Ines Varga"),
]


@pytest.mark.parametrize("text,words,who", LINE_BREAKS)
def test_a_speaker_never_crosses_a_line_break(analyse, text, words, who):
    doc = analyse(text)
    q = quote_starting(doc, words)
    assert speaker_name(q) == who
    assert "\n" not in (q.speaker.text or "") and "\n" not in q.speaker.name
    assert all("\n" not in m.text for e in doc.get("entities") for m in e.mentions)  # nor does any entity mention


# ----------------------------------------------------------------------------------------- 4. issuer, not subject
ISSUERS = [
    ("According to data released by the National Statistics Agency, prices rose by 4 percent.",
     "prices rose by 4 percent", "National Statistics Agency"),
    ("A report by the Water Board says the reservoirs are low.", "the reservoirs are low", "Water Board"),
    ("Figures from the Port Authority show that traffic fell by a third.", "traffic fell by a third",
     "Port Authority"),
    ("A study published by Harwick University found that the bridge was unsafe.", "the bridge was unsafe",
     "Harwick University"),
]


@pytest.mark.parametrize("text,words,who", ISSUERS)
def test_a_document_source_is_its_issuer(analyse, text, words, who):
    q = quote_starting(analyse(text), words)
    assert speaker_name(q) == who, q.speaker


# ----------------------------------------------------------------------------------------- 5. unresolved speakers
NO_ONE = [
    "One could argue that the plan is too expensive.",
    "No-one said it would be easy.",
    "Nobody believes the figures are right.",
    "Some say the mill will never reopen.",
    "Half of them think the vote was rigged.",
    "I remember that the old mill closed in winter.",
    "We have long argued that the bridge is unsafe.",
]


@pytest.mark.parametrize("text", NO_ONE)
def test_indefinite_words_and_the_authors_first_person_are_never_speakers(analyse, text):
    for q in analyse(text).get("quotes"):
        assert q.speaker is None or q.speaker.name is not None, q
        assert speaker_name(q) is None or speaker_name(q).lower() not in ("one", "no", "no-one", "nobody", "some",
                                                                          "half", "i", "we"), q


PRONOUNS = [
    ("The figures were mixed. It says the economy is recovering.", "the economy is recovering"),
    ("The minutes were short. They said the fund was empty.", "the fund was empty"),
]


@pytest.mark.parametrize("text,words", PRONOUNS)
def test_an_unresolved_pronoun_is_an_unknown_speaker_with_low_confidence(analyse, text, words):
    q = quote_starting(analyse(text), words)
    assert q.speaker is None or (q.speaker.name is None and q.speaker.confidence <= 0.4), q.speaker


def test_a_pronoun_still_resolves_to_the_person_before_it(analyse):
    q = quote_starting(analyse("Governor Lena Park visited the plant. She said the jobs were safe."),
                       "the jobs were safe")
    assert speaker_name(q) == "Lena Park"


def test_first_person_in_a_direct_quote_cue_is_the_author(analyse):
    q = quote_starting(analyse("I asked the mayor about the port. “It stays open,” I was told. "
                               "“Why?” I asked.", author="Ruth Okafor"), "Why")
    assert speaker_name(q) in (None, "Ruth Okafor")


# ----------------------------------------------------------------------------------------- 6. wanting is not saying
WANTING = [
    "The country wants to join the alliance.",
    "The city plans to sell the old harbour.",
    "Lowmouth intends to apply for membership next year.",
    "The union hopes to sign the agreement soon.",
    "The council decided to close the library.",
    "The minister is seeking to expand the programme.",
]


@pytest.mark.parametrize("text", WANTING)
def test_verbs_of_desire_and_intention_are_no_attribution(analyse, text):
    assert speech(analyse(text)) == [], [(q.kind, q.content.text) for q in speech(analyse(text))]


SAYING = [
    ("She believes the vote will pass.", "the vote will pass"),
    ("The ministry said the deal was close.", "the deal was close"),
    ("Ana Ruiz thinks the port should stay open.", "the port should stay open"),
    ("The mayor promised to rebuild the bridge.", "to rebuild the bridge"),
]


@pytest.mark.parametrize("text,words", SAYING)
def test_verbs_of_belief_and_statement_still_attribute(analyse, text, words):
    assert quote_starting(analyse(text), words).kind == "reported"


# ----------------------------------------------------------------------------------------- 10. titles of works
TITLES = [
    ("The nominees for best picture are “Parasite”, “Once Upon A Time in Hollywood” and “Little Women”.",
     ["Parasite", "Once Upon A Time in Hollywood", "Little Women"]),
    ("The film “Parasite” won four awards.", ["Parasite"]),
    ("Critics loved the book “The Long Road Home”.", ["The Long Road Home"]),
    ('Her picks were "Harbour Lights", "The Quiet Year" or "Salt and Iron".',
     ["Harbour Lights", "The Quiet Year", "Salt and Iron"]),
    ("The series “North Water” returns next month.", ["North Water"]),
]


@pytest.mark.parametrize("text,titles", TITLES)
def test_quoted_names_of_works_are_titles(analyse, text, titles):
    doc = analyse(text)
    for title in titles:
        q = quote_starting(doc, title)
        assert q.kind == "title" and q.speaker is None, (title, q.kind, q.evidence)


def test_a_list_of_quoted_sentences_is_still_speech(analyse):
    doc = analyse("“We are ready.” “We will win.” Those were the last words the captain, Ana Ruiz, said.")
    assert all(q.kind != "title" for q in doc.get("quotes"))


# ----------------------------------------------------------------------------------------- a crash is no finding
def test_a_failed_cue_search_is_logged_and_marked_not_reported_as_no_cue(analyse, monkeypatch, caplog):
    from presslens.analyzers import quotes

    def broken(*args, **kwargs):
        raise IndexError("token index out of range")

    monkeypatch.setattr(quotes, "classify", broken)
    with caplog.at_level("WARNING", logger="presslens.analyzers.quotes"):
        doc = analyse("Mayor Ana Ruiz said: “We will reopen the port on Monday.”")
    q = quote_starting(doc, "We will reopen")
    assert q.evidence.by == "quotes.cue_failed" and "IndexError" in q.evidence.why
    assert q.speaker is None and q.confidence <= 0.2
    assert any("failed" in r.getMessage() for r in caplog.records)
