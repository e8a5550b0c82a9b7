"""Who said what when the speaker is marked only by bold type, when no one names the interviewer, and when the
nearest "person" is an acronym or a place: tables of short texts written for these tests (plain text, Markdown and
HTML), with what a reader expects the quotes layer to say."""
from __future__ import annotations

import pytest

from presslens.ingest import read_document
from presslens.schema import validate

from .quote_helpers import quote_starting, speaker_name


@pytest.fixture(scope="module")
def analyse():
    import presslens

    pipeline = presslens.load(analyzers=["blocks", "entities", "quotes"])

    def run(text: str, html: bool = False, name: str = "interview.html", **meta):
        if html:
            return pipeline.analyze(read_document(text.encode("utf-8"), name, None, html_hint=True))
        return pipeline.analyze(text, **meta)

    return run


def page(title: str, *paragraphs: str, author: str | None = None) -> str:
    byline = f"<meta name='author' content='{author}'>" if author else ""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{title}</title>{byline}</head><body><article><h1>{title}</h1>{body}"
            f"</article></body></html>")


# ----------------------------------------------------------------------------------------- bold labels, no colon
BOLD_TURNS = [
    # (text, is HTML, meta, [(turn opening words, expected speaker)])
    (page("Tariffs will not save the mills",
          "In an interview with the Harbour Ledger, the trade economist Lena Novak explains why the new duties change "
          "very little for the steel towns of the north.",
          "<b>Harbour Ledger</b> Do the tariff changes help the steel towns at all, in your view?",
          "<b>Novak</b> The tariff changes nothing for the mills. The orders went abroad years ago.",
          "<b>Harbour Ledger</b> What would help them, then, if not the duties?",
          "<b>Novak</b> Training, and cheaper power. Nothing else moves the numbers."),
     True, {}, [("The tariff changes nothing", "Lena Novak"), ("Training, and cheaper power", "Lena Novak"),
                ("Do the tariff changes", "Harbour Ledger"), ("What would help them", "Harbour Ledger")]),
    (page("An interview with Tobias Fenn",
          "The transport union leader Tobias Fenn has called a strike for next month. We asked him why he thinks it "
          "will work where the last one failed.",
          "<strong>Q</strong> Why strike now, in the middle of the holiday season?",
          "<strong>Fenn</strong> Because now is when the company listens. Nobody listens in February.",
          "<strong>Q</strong> Will the members follow you this time?",
          "<strong>Fenn</strong> They voted for it by four to one, so <b>yes</b>, they will follow.",
          author="Mara Quell"),
     True, {}, [("Because now is when", "Tobias Fenn"), ("They voted for it", "Tobias Fenn"),
                ("Why strike now", "Mara Quell"), ("Will the members", "Mara Quell")]),
    (page("Water bills: the board chair answers",
          "The water board chair Ines Varga explains why bills are going up across the region this winter and what "
          "households can do about it.",
          "<b>Q</b> — Why are the bills going up again this winter?",
          "<b>Ines Varga</b> — The pipes are old and the repairs cannot wait any longer.",
          "<b>Q</b> — What can households do in the meantime?",
          "<b>Ines Varga</b> — Fix the dripping taps first. It adds up over a year.",
          author="Ruth Okafor"),
     True, {}, [("The pipes are old", "Ines Varga"), ("Fix the dripping taps", "Ines Varga"),
                ("Why are the bills", "Ruth Okafor")]),
    ("The judge who stood firm\n\n"
     "The retired judge Karla von der Heide talks about the ruling that ended her career.\n\n"
     "**Q** Did you expect the appeal to fail?\n\n"
     "**Von der Heide** No. I expected to lose my seat, not the case.\n\n"
     "**Q** Would you rule the same way again?\n\n"
     "**Von der Heide** Every time. The law was clear.",
     False, {"author": "Omar Dace"}, [("No. I expected", "Karla von der Heide"), ("Every time", "Karla von der Heide"),
                                      ("Did you expect", "Omar Dace")]),
    (page("Ten years at the port",
          "The harbour master Omar Dace looks back on ten years at the port of Lowmouth and the storms it survived.",
          "<strong>Q.</strong> What was the worst storm you saw here?",
          "<strong>A.</strong> The one in 2019. We lost two piers in one night.",
          author="Ruth Okafor"),
     True, {}, [("The one in 2019", "Omar Dace"), ("What was the worst storm", "Ruth Okafor")]),
    ("Back to the harbour\n\n"
     "The ferry captain Len Bastable is retiring after forty years at sea.\n\n"
     "**Q:** What will you miss most?\n\n"
     "**Bastable:** The early mornings. The harbour is silent at five.",
     False, {"author": "Ana Ruiz"}, [("The early mornings", "Len Bastable"), ("What will you miss", "Ana Ruiz")]),
]


@pytest.mark.parametrize("text,html,meta,expected", BOLD_TURNS)
def test_bold_names_without_a_colon_are_interview_turns(analyse, text, html, meta, expected):
    doc = analyse(text, html, **meta)
    for words, who in expected:
        q = quote_starting(doc, words)
        assert q.kind == "direct" and q.evidence.by == "quotes.interview_turn", (words, q.kind, q.evidence)
        assert speaker_name(q) == who, (words, q.speaker)
        # the label is the cue, the answer alone is the content: no bold name inside what was said
        assert not q.content.text.startswith(q.cue.text.strip("*: —"))


def test_bold_leads_on_a_page_point_at_the_bold_text():
    raw = read_document(page("Talk", "<b>Q</b> Why now, after all these years?", "<strong>Dace</strong> Because "
                             "the money is there.", "They met in <b>May</b> at the port.").encode(), "p.html", None)
    assert [raw.text[s:e] for s, e in raw.bold_leads] == ["Q", "Dace"]  # "May" does not open its paragraph


BOLD_BUT_NO_TRANSCRIPT = [
    page("Port reopens",
         "<b>Ana Ruiz</b>, the mayor of Lowmouth, said the port would reopen on Monday after the storm repairs.",
         "<b>Ana Ruiz</b> said the repairs had cost less than feared and had finished a week early.",
         "<b>Omar Dace</b>, the harbour master, said the first ferry would sail at six in the morning."),
    page("Why it matters",
         "<b>Why it matters</b> The port employs four hundred people and feeds half the town's shops.",
         "<b>What comes next</b> The council will vote on the repair budget in the spring session."),
]


@pytest.mark.parametrize("text", BOLD_BUT_NO_TRANSCRIPT)
def test_bold_lead_ins_of_an_ordinary_article_are_no_turns(analyse, text):
    doc = analyse(text, True)
    assert all(q.evidence.by != "quotes.interview_turn" for q in doc.get("quotes")), \
        [(q.content.text, q.evidence.by) for q in doc.get("quotes")]


# ----------------------------------------------------------------------------------------- no byline, no outlet
UNNAMED_INTERVIEWER = [
    ("Notes from the mill\n\nMarta Lind, a steelworker, spent thirty years at the mill by the river.\n\n"
     "Q: Why did the mill close?\n\nA: The orders stopped coming. Nobody buys our steel any more.\n\n"
     "Q: Will it reopen?\n\nA: Not in my lifetime.", False, "Why did the mill close", "Not in my lifetime",
     "Marta Lind"),
    ("Q: Why did you leave the council?\n\nA: I was tired of losing votes.\n\nQ: Would you go back?\n\n"
     "A: Never.", False, "Would you go back", "Never", "the interviewee"),
    ("A life at sea\n\nThe ferry captain Len Bastable retires this week.\n\nInterviewer: What will you miss?\n\n"
     "Bastable: The early mornings.\n\nInterviewer: And the storms?\n\nBastable: Not for a second.",
     False, "What will you miss", "The early mornings", "Len Bastable"),
    (page("Ten questions for Omar Dace",
          "The harbour master Omar Dace has run the port of Lowmouth for twelve years and is leaving in the spring.",
          "<b>Q</b> What was the hardest winter you had here?",
          "<b>Dace</b> The one with three storms in a week. We lost two piers.",
          "<b>Q</b> And the best day?",
          "<b>Dace</b> When the new pier opened and the whole town came down."),
     True, "What was the hardest winter", "The one with three storms", "Omar Dace"),
]


@pytest.mark.parametrize("text,html,question,answer,answerer", UNNAMED_INTERVIEWER)
def test_questions_without_a_byline_are_the_unnamed_interviewers(analyse, text, html, question, answer, answerer):
    doc = analyse(text, html)
    q = quote_starting(doc, question)
    assert q.kind == "direct" and speaker_name(q) == "the interviewer", q.speaker
    assert q.speaker.entity is None and q.speaker.confidence <= 0.5 and q.confidence <= 0.5
    assert "interviewer" in q.evidence.why and "byline" in q.evidence.why
    a = quote_starting(doc, answer)
    assert speaker_name(a) == answerer and (a.speaker.entity is None) == (answerer == "the interviewee")
    validate(doc.to_dict())  # the schema takes a speaker that is a role, not an entity


def test_a_byline_still_beats_the_unnamed_interviewer(analyse):
    doc = analyse("Q: Why now?\n\nA: Because the money is there.\n\nQ: And later?\n\nA: Later we build.",
                  author="Ruth Okafor")
    assert speaker_name(quote_starting(doc, "And later")) == "Ruth Okafor"


# ----------------------------------------------------------------------------------------- acronyms are no one
ACRONYMS = [
    # (text, quote opening words, who a reader says speaks, names that must not)
    ("SAG nominated Tom Vail for best actor.\n\n“I cried when I heard,” he said.", "I cried", "Tom Vail", ["SAG"]),
    ("Len Bastable spoke to SAG after the show.\n\n“It was a long night.”", "It was a long night", "Len Bastable",
     ["SAG"]),
    ("The award went to Ana Ruiz, nominated by SAG. She said she would give the prize to her mother.",
     "she would give the prize", None, ["SAG"]),
    ("The NTSB blamed the crew. “We were tired,” she said.", "We were tired", None, ["NTSB"]),
    ("“We have recovered both recorders,” an NTSB spokesman said.", "We have recovered", "NTSB", []),
    ("“It was the best night of my life,” SAG nominee Tom Vail said.", "It was the best night", "Tom Vail", ["SAG"]),
    ("The WHO said the outbreak was under control.", "the outbreak was under control", "WHO", []),
]


@pytest.mark.parametrize("text,words,who,not_who", ACRONYMS)
def test_an_acronym_speaks_only_as_the_subject_of_its_own_verb(analyse, text, words, who, not_who):
    doc = analyse(text)
    q = quote_starting(doc, words)
    assert speaker_name(q) == who, q.speaker
    assert speaker_name(q) not in not_who
    for e in doc.get("entities"):
        if e.name in ("SAG", "NTSB"):
            assert e.type != "PERSON", e


def test_acronyms_in_a_list_of_nominees_are_organisations(analyse):
    doc = analyse(page("Nominees announced",
                       "The nominees for best actor are Tom Vail (SAG), Ana Ruiz (BAFTA) and Len Bastable, the guild "
                       "said on Tuesday.",
                       "“I am thrilled,” Vail said. SAG and BAFTA will announce the winners in March."), True)
    assert speaker_name(quote_starting(doc, "I am thrilled")) == "Tom Vail"
    assert all(e.type != "PERSON" for e in doc.get("entities") if e.name in ("SAG", "BAFTA"))


# ----------------------------------------------------------------------------------------- a place is no "she"
PLACE_PRONOUNS = [
    ("Kyiv said the talks would resume. She said the sirens had stopped.", "the sirens had stopped"),
    ("The ship sailed through the Bosphorus. Bosphorus traffic resumed. He said the strait was open again.",
     "the strait was open"),
    ("Tallinn welcomed the delegates.\n\n“We are ready,” she said.", "We are ready"),
    ("Valletta agreed to the plan. “It is a good deal,” he told reporters.", "It is a good deal"),
    (page("Curfew", "Caracas said the curfew would end on Friday, after a week of unrest in the capital.",
          "She told reporters that the shops would open again on Saturday morning."), "the shops would open"),
]


@pytest.mark.parametrize("text,words", PLACE_PRONOUNS)
def test_a_pronoun_never_resolves_to_a_place(analyse, text, words):
    doc = analyse(text, text.startswith("<html>"))
    q = quote_starting(doc, words)
    places = {"Kyiv", "Bosphorus", "Tallinn", "Valletta", "Caracas"}
    assert speaker_name(q) not in places, q.speaker
    assert q.speaker is None or q.speaker.name is None or q.speaker.confidence <= 0.4


def test_a_pronoun_still_finds_the_person_past_a_place(analyse):
    doc = analyse("Mayor Ines Varga landed in Lisbon. Kyiv said the talks would resume. She said the trip was useful.")
    assert speaker_name(quote_starting(doc, "the trip was useful")) == "Ines Varga"
