"""quotes analyzer: (text, expected) tables over short articles written for these tests, plus the seed article."""
from __future__ import annotations

import pytest

from presslens.analyzers import quotes
from presslens.document import Block, Document, Entity, Mention, Role

# (article text, quoted words the quote's content starts with, expected kind, expected speaker name or None)
SPEECH = [
    ("Mayor Ana Ruiz said: “We will reopen the port on Monday.”", "We will reopen", "direct", "Ana Ruiz"),
    ("“The bridge is safe,” said Tom Becker, the city engineer.", "The bridge is safe", "direct", "Tom Becker"),
    ("Officials met on Monday.\n\n“The bridge is safe,” Tom Becker said.", "The bridge is safe", "direct", "Tom Becker"),
    ("“We are not leaving.” — Maria Lindqvist", "We are not leaving", "direct", "Maria Lindqvist"),
    ("Readers wrote in.\n“Fix the buses first.” ― Omar Haddad\n“Lower the fares.” ― Ines Varga",
     "Lower the fares", "direct", "Ines Varga"),
    ("Nadia Okafor pressed, “And then what?”", "And then what", "direct", "Nadia Okafor"),
    ("Pierre Durand said: «The talks are over.»", "The talks are over", "direct", "Pierre Durand"),
    ("Klaus Weber said: „We need more time.“", "We need more time", "direct", "Klaus Weber"),
    ('Jane Doe said, "We will appeal the ruling."', "We will appeal", "direct", "Jane Doe"),
    ("Writing in a local weekly, the historian Lucy Grant said:\n\n“Every town keeps its own ledger of grievances.”",
     "Every town keeps", "direct", "Lucy Grant"),
    ("Governor Lena Park visited the plant on Tuesday. “Jobs come first,” she said.", "Jobs come first", "direct",
     "Lena Park"),
    ("The debate was broadcast live and was moderated by host Carla Stein.\n\n“What would you cut first?”",
     "What would you cut", "direct", "Carla Stein"),
    ("Finance minister Joan Reyes said that the budget would be balanced next year.",
     "the budget would be balanced", "reported", "Joan Reyes"),
    ("Union leader Pedro Alves told reporters the strike would go on.", "the strike would go on", "reported",
     "Pedro Alves"),
    ("According to police chief Mark Hill, the suspect fled north in a van.", "the suspect fled north", "reported",
     "Mark Hill"),
    ("Senator Ilse Brandt warned that the deal could collapse within weeks.", "the deal could collapse", "reported",
     "Ilse Brandt"),
    ("Senator Ilse Brandt spoke after the vote. She said that the deal could collapse within weeks.",
     "the deal could collapse", "reported", "Ilse Brandt"),
]


@pytest.fixture(scope="module")
def pipe():
    import presslens

    return presslens.load(analyzers=["blocks", "entities", "quotes"])


def find(article: Document, starts: str):
    found = [q for q in article.get("quotes") if q.content.text.startswith(starts)]
    assert found, f"no quote starting {starts!r} in {[(q.kind, q.content.text) for q in article.get('quotes')]}"
    return found[0]


@pytest.mark.parametrize("text,starts,kind,speaker", SPEECH)
def test_speech_forms(pipe, text, starts, kind, speaker):
    quote = find(pipe.analyze(text), starts)
    assert quote.kind == kind
    # the entities layer names the cluster; the surname must be in it
    assert quote.speaker is not None and speaker.split()[-1] in quote.speaker.name
    assert quote.evidence.by.startswith("quotes.") and quote.evidence.why
    assert 0 < quote.confidence <= 1


def test_extent_includes_marks_content_does_not(pipe):
    article = pipe.analyze("Mayor Ana Ruiz said: “We will reopen the port on Monday.”")
    quote = find(article, "We will reopen")
    assert quote.text.startswith("“") and quote.text.endswith("”")
    assert quote.content.text == "We will reopen the port on Monday."
    assert quote.cue is not None and quote.cue.text == "said"
    assert quote.speaker.text.endswith("Ana Ruiz") and quote.evidence.by == "quotes.colon_intro"


def test_nested_single_quotes_stay_inside(pipe):
    article = pipe.analyze("“He told me ‘never again,’ and I believed him,” said Omar Haddad.")
    direct = [q for q in article.get("quotes") if q.kind == "direct"]
    assert len(direct) == 1 and "‘never again,’" in direct[0].content.text
    assert direct[0].speaker.name == "Omar Haddad"
    assert not any(q.content.text.startswith("never again") for q in article.get("quotes"))


def test_quote_over_several_paragraphs(pipe):
    text = ("Ruth Ames, who chairs the board, said:\n\n“The first year was hard for everyone.\n\n"
            "“The second year was harder, and we learned from it.”\n\nThe board meets again in May.")
    quote = find(pipe.analyze(text), "The first year")
    assert quote.kind == "direct" and quote.speaker.name == "Ruth Ames"
    assert quote.content.text.endswith("we learned from it.")
    assert "2 paragraphs" in quote.evidence.why


def test_unclosed_quote_degrades(pipe):
    text = "Sam Ortiz told reporters, “We will never sign this deal.\n\nThe talks resumed on Friday."
    article = pipe.analyze(text)
    quote = find(article, "We will never sign")
    assert quote.kind == "direct" and quote.speaker.name == "Sam Ortiz"
    assert quote.content.text == "We will never sign this deal."
    assert "closing quotation mark is missing" in quote.evidence.why and quote.confidence < 0.8
    closed = find(pipe.analyze("Sam Ortiz told reporters, “We will never sign this deal.”"), "We will never sign")
    assert closed.confidence > quote.confidence


def test_interview_turns_alternate(pipe):
    text = ("Host Dana Wells interviewed senator Paul Kim on Sunday.\n\n"
            "See how Kim answered—\n\n“We were never consulted.”\n\n"
            "Wells pressed, “Never?”\n\nKim continued: “Not once.”\n\n"
            "“Not even by letter?”\n\n“Not even by letter.”")
    article = pipe.analyze(text)
    speakers = [(q.content.text, q.speaker.name if q.speaker else None) for q in article.get("quotes")
                if q.kind == "direct"]
    assert [s for _, s in speakers] == ["Paul Kim", "Dana Wells", "Paul Kim", "Dana Wells", "Paul Kim"], speakers
    turn = find(article, "Not even by letter?")
    assert turn.evidence.by == "quotes.interview_turn"


def test_speaker_introduced_in_previous_sentence(pipe):
    text = "The debate was broadcast live and was moderated by host Carla Stein.\n\n“What would you cut first?”"
    quote = find(pipe.analyze(text), "What would you cut")
    assert "previous sentence" in quote.evidence.why


TITLES_AND_SCARE = [
    ("The minister appeared on “Morning Report” last week to defend the plan.", "Morning Report", "title"),
    ("She wrote about it for the “Harbour Gazette” column every week.", "Harbour Gazette", "title"),
    ("The so-called “reform” passed in a hurry.", "reform", "scare"),
    ("Before the army began its “special operation”, the border was quiet.", "special operation", "scare"),
]


@pytest.mark.parametrize("text,content,kind", TITLES_AND_SCARE)
def test_titles_and_scare_quotes_are_not_speech(pipe, text, content, kind):
    quote = find(pipe.analyze(text), content)
    assert quote.kind == kind and quote.speaker is None


def test_partial_quote_inside_reported_speech(pipe):
    text = "Mayor Ana Ruiz said the strikers were “holding the city hostage” and vowed to act."
    quote = find(pipe.analyze(text), "holding the city hostage")
    assert quote.kind == "partial" and "Ruiz" in quote.speaker.name


def test_quote_mark_inside_caption_is_not_speech(nlp):
    text = ("Screenshot of “The Night Desk” Image: Channel Four\n\n"
            "Anchor Eva Moss opened the show: “Good evening.”")
    caption_end = text.index("\n")
    article = Document(text)
    article.add("blocks", Block(0, caption_end, text[:caption_end], "caption"))
    rest = caption_end + 2
    article.add("blocks", Block(rest, len(text), text[rest:], "paragraph"))
    start = text.index("Eva Moss")
    article.add("entities", Entity("e1", "Eva Moss", "PERSON", [Mention(start, start + 8, "Eva Moss")]))
    out = quotes.analyze(nlp(text), article, quotes.Config())["quotes"]
    caption = next(q for q in out if q.content.text == "The Night Desk")
    assert caption.kind == "title" and caption.speaker is None
    speech = next(q for q in out if q.content.text == "Good evening.")
    assert speech.kind == "direct" and speech.speaker.entity == "e1"


def test_nominal_speaker_resolved_through_role(nlp):
    text = "Carl Mendes is the spokesman for the ministry. “We have no comment,” the spokesman said."
    article = Document(text)
    article.add("blocks", Block(0, len(text), text, "paragraph"))
    role = text.index("the spokesman")
    article.add("entities", Entity("e1", "Carl Mendes", "PERSON", [Mention(0, 11, "Carl Mendes")],
                                   roles=[Role(role, role + 13, "the spokesman")]))
    out = quotes.analyze(nlp(text), article, quotes.Config())["quotes"]
    quote = next(q for q in out if q.kind == "direct")
    assert quote.speaker.entity == "e1" and quote.speaker.text == "the spokesman"


def test_unbalanced_marks_never_fail_the_document(pipe):
    for text in ("“", "He said “", "” closing first, then “opening and nothing else", '"""', "«»", "„“",
                 "A “ ” b said Tom.", "« »", '" "'):
        article = pipe.analyze(text + " The rest is plain prose.")
        for q in article.get("quotes"):
            assert q.start < q.end and q.content.text.strip()
        assert not article.meta["warnings"], article.meta["warnings"]


# ------------------------------------------------------------------------------------------- seed article
@pytest.mark.shared
def test_seed_article(pipe, seed_article):
    article = pipe.analyze(seed_article)
    qs = article.get("quotes")

    def q(starts: str):
        return find(article, starts)

    def speaker(starts: str) -> str:
        quote = q(starts)
        assert quote.speaker is not None, (starts, quote)
        return quote.speaker.name

    assert "Colbert" in speaker("I have a crazy idea")
    assert "previous sentence" in q("I have a crazy idea").evidence.why
    assert "Blinken" in speaker("You know what?")
    assert "Colbert" in speaker("And then what?")
    assert "Blinken" in speaker("Well, the Russians later")
    robertson = q("When Putin replaced")
    assert robertson.kind == "direct" and "Robertson" in robertson.speaker.name
    assert "closing quotation mark is missing" in robertson.evidence.why
    assert "O’Doracopoulos" in speaker("For 500 years")
    assert "Francis" in speaker("I don’t know if")
    late_show = [x for x in qs if x.content.text == "The Late Show"]
    assert late_show and all(x.kind == "title" for x in late_show)
    for phrase in ("modern Hitler", "annexation", "invasion", "special military operation"):
        for x in [x for x in qs if x.content.text == phrase]:
            assert x.kind != "direct", (phrase, x.kind)
            assert x.kind in ("scare", "partial", "title")
    peskov = q("when Russia and Europe were talking")
    assert peskov.kind == "reported" and "Peskov" in peskov.speaker.name and peskov.speaker.text == "He"
    erdogan = q("the two Nordic countries")
    assert erdogan.kind == "reported" and "Erdogan" in erdogan.speaker.name
    price = q("the time for the foreign ministers")
    assert price.kind == "reported"
    assert not any(x.kind in ("direct", "partial", "reported") and article.text[x.start] in "“\""
                   and any(b.kind == "caption" and b.start <= x.start < b.end for b in article.get("blocks"))
                   for x in qs), "a quote inside a caption was taken as speech"


# ---------------------------------------------------------------- find_marked skips to opening marks
def reference_find_marked(text, blocked):
    """find_marked as a plain character-by-character walk."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in quotes.DOUBLE_CLOSERS and (ch != '"' or quotes.straight_opens(text, i)):
            marked = quotes.scan_one(text, i, quotes.DOUBLE_CLOSERS[ch], blocked)
            if marked.content_end > marked.content_start:
                out.append(marked)
            i = max(marked.end, i + 1)
            continue
        if ch == "‘" and (i == 0 or text[i - 1].isspace() or text[i - 1] in "([—–―-"):
            marked = quotes.scan_single(text, i)
            if marked is not None:
                out.append(marked)
                i = marked.end
                continue
        i += 1
    return out


MARKED_TEXTS = ['He said “yes” and „no“ and «maybe» and "fine" and ‘odd’ words.',
                "“Unclosed\n\n“Reopened paragraph.” Then ‘single’s, it’s ‘x’ (‘y’) —‘z’.",
                '"a" "b "c"\n" "', "„ “ ” « » ‘ ’ \" ", ""]


@pytest.mark.parametrize("text", MARKED_TEXTS)
def test_find_marked_is_the_character_walk(text):
    blocked = quotes.Blocked(Document(text=text or "x"))
    assert quotes.find_marked(text, blocked) == reference_find_marked(text, blocked)


try:
    from hypothesis import given, settings, strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    @settings(max_examples=200, deadline=None)
    @given(st.text(alphabet="ab .,!?s(\n“”„«»\"‘’—", max_size=60))
    def test_find_marked_is_the_character_walk_on_any_text(text):
        blocked = quotes.Blocked(Document(text=text or "x"))
        assert quotes.find_marked(text, blocked) == reference_find_marked(text, blocked)
