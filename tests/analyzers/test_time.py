"""The time analyzer: TIMEX3-like values against the publication date, no use of today, and the timeline."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from presslens.evaluate import floors
from presslens.analyzers import time as T
from presslens.document import Block, Document, Entity, Mention

REPO = Path(__file__).resolve().parents[2]
PUB = "2022-05-25"  # a Wednesday

CASES = [
    ("On May 19, local time, the minister appeared on television.", PUB, [("May 19", "2022-05-19")]),
    ("The pope spoke on May 3 this year.", PUB, [("May 3 this year", "2022-05-03")]),
    ("They met in February this year.", PUB, [("February this year", "2022-02")]),
    ("In the 1990s, people did talk about it.", PUB, [("the 1990s", "199X")]),
    ("It wants things as they were before 1997.", PUB, [("before 1997", "1997")]),
    ("He led the alliance at the beginning of this century.", PUB, [("the beginning of this century", "20XX")]),
    ("For 500 years, the fair has been held here.", PUB, [("500 years", "P500Y")]),
    ("What the empire did in the 1930s still matters.", PUB, [("the 1930s", "193X")]),
    ("The spokesman answered not long ago.", PUB, [("not long ago", "PAST_REF")]),
    ("Now the council must decide; it currently has no plan and is at the moment divided.", PUB,
     [("Now", "PRESENT_REF"), ("currently", "PRESENT_REF"), ("at the moment", "PRESENT_REF")]),
    ("The minister resigned yesterday.", PUB, [("yesterday", "2022-05-24")]),
    ("The committee met last Tuesday.", PUB, [("last Tuesday", "2022-05-24")]),
    ("Prices will rise next month.", PUB, [("next month", "2022-06")]),
    ("Two weeks ago the bridge closed.", PUB, [("Two weeks ago", "2022-W19")]),
    ("Police arrested three men on Monday.", PUB, [("Monday", "2022-05-23")]),
    ("The court will rule on Friday.", PUB, [("Friday", "2022-05-27")]),
    ("The firm was founded in 2019.", PUB, [("2019", "2019")]),
    ("The plant closed in March 2021.", PUB, [("March 2021", "2021-03")]),
    ("The treaty was signed on 21 March 2021.", PUB, [("21 March 2021", "2021-03-21")]),
    ("The contract is dated 3/21/2021.", PUB, [("3/21/2021", "2021-03-21")]),
    ("The canal was dug in the 19th century.", PUB, [("the 19th century", "18XX")]),
    ("Sales doubled this year after falling last year.", PUB, [("this year", "2022"), ("last year", "2021")]),
    ("The ferry sails every week.", PUB, [("every week", "P1W")]),
    ("The rally starts at 8 p.m. on Saturday.", PUB, [("8 p.m.", "2022-05-28T20:00"), ("Saturday", "2022-05-28")]),
    # false positives to avoid
    ("Critics say the agency may face new lawsuits.", PUB, []),
    ("The army bought S400 missiles and MiG-29 fighters.", PUB, []),
    ("About 2000 troops were moved to the border.", PUB, []),
    # no publication date: relative values stay underspecified
    ("The minister arrived on May 19.", None, [("May 19", "XXXX-05-19")]),
    ("The strike began on Monday and output fell last year.", None, [("Monday", "XXXX-WXX-1"), ("last year", "XXXX")]),
    ("The dam was completed in 1964.", None, [("1964", "1964")]),
]


def run(nlp, text: str, published: str | None, blocks=(), entities=()) -> Document:
    article = Document(text, meta={"published": published})
    for block in blocks:
        article.add("blocks", block)
    for entity in entities:
        article.add("entities", entity)
    produced = T.analyze(nlp(text), article, T.Config())
    for layer, records in produced.items():
        article.extend(layer, records)  # validates offsets, as the pipeline does
    return article


@pytest.mark.parametrize("text,published,expected", CASES)
def test_values(nlp, text, published, expected):
    got = [(t.text, t.value) for t in run(nlp, text, published).get("time")]
    assert got == expected


def test_types_and_modifiers(nlp):
    records = {t.text: t for t in run(nlp, "Before 1997 and for 500 years, every week, at the beginning of this century.",
                                       PUB).get("time")}
    assert (records["Before 1997"].value, records["Before 1997"].mod) == ("1997", "BEFORE")
    assert records["500 years"].type == "DURATION"
    assert records["every week"].type == "SET"
    assert records["the beginning of this century"].mod == "START"
    assert all(r.evidence.by.startswith("time.") and r.confidence for r in records.values())


RELATIVE = ("He left yesterday, came back on Monday, met her last Tuesday and on May 19, "
            "two weeks ago, next month, this year and last March.")


def test_unknown_publication_date_never_uses_today(nlp, monkeypatch):
    bases = []
    real = T.dateparse

    def spy(text, base, extra=None):
        bases.append(base)
        return real(text, base, extra)

    for module in (T.dates, T.relative, T.passes):  # every module of the analyzer that calls dateparse
        monkeypatch.setattr(module, "dateparse", spy)
    records = run(nlp, RELATIVE, None).get("time")
    assert len(records) == 8
    assert all("X" in r.value for r in records), [(r.text, r.value) for r in records]
    today = dt.date.today()
    assert all(b is None or abs((b.date() if isinstance(b, dt.datetime) else b) - today).days > 365 for b in bases)
    assert run(nlp, RELATIVE, None).get("timeline") == []  # no year known: nothing to place on a timeline


def test_value_depends_only_on_publication_date(nlp):
    a = [t.value for t in run(nlp, RELATIVE, "2022-05-25").get("time")]
    b = [t.value for t in run(nlp, RELATIVE, "2019-11-04").get("time")]
    assert a != b and a[0] == "2022-05-24" and b[0] == "2019-11-03"


def test_dateparse_refuses_a_missing_base():
    with pytest.raises(ValueError):
        T.dateparse("yesterday", None)


def test_timeline_order_and_entity_links(nlp):
    text = ("Ana Ruiz took office in March 2021.\nThe port was built in the 1930s.\n"
            "Tomas Berg said yesterday that talks had failed.\nThe strike continues now.")
    ana, tomas = text.index("Ana Ruiz"), text.index("Tomas Berg")
    entities = [Entity("e1", "Ana Ruiz", "PERSON", [Mention(ana, ana + 8, "Ana Ruiz")]),
                Entity("e2", "Tomas Berg", "PERSON", [Mention(tomas, tomas + 10, "Tomas Berg")])]
    timeline = run(nlp, text, PUB, entities=entities).get("timeline")
    assert [e.value for e in timeline] == ["193X", "2021-03", "2022-05-24", "2022-05-25"]
    assert [e.sort_key for e in timeline] == sorted(e.sort_key for e in timeline)
    assert timeline[1].entities == ["e1"] and timeline[1].text == "Ana Ruiz took office in March 2021."
    assert timeline[2].entities == ["e2"]
    assert timeline[3].text == "The strike continues now." and timeline[3].entities == []


def test_coarser_value_first_on_the_same_start():
    keys = sorted(["1990-01", "199X", "1990", "19XX"], key=T.sort_key)
    assert keys == ["19XX", "199X", "1990", "1990-01"]


def test_boilerplate_is_skipped_captions_kept(nlp):
    body = "Workers struck on Monday."
    caption = "Workers march on Monday. Photo: J. Doe"
    footer = "Subscribe for daily news every week."
    text = "\n".join([body, caption, footer])
    c0, f0 = text.index(caption), text.index(footer)
    blocks = [Block(0, len(body), body, "paragraph"), Block(c0, c0 + len(caption), caption, "caption"),
              Block(f0, f0 + len(footer), footer, "boilerplate")]
    records = run(nlp, text, PUB, blocks=blocks).get("time")
    assert [(r.text, r.value) for r in records] == [("Monday", "2022-05-23"), ("Monday", "2022-05-23")]


def test_registered_and_configured():
    from presslens import config, registry

    assert registry.ANALYZERS["time"] == "presslens.analyzers.time"
    assert config.build(T.Config, "time", config.load_config()) == T.Config(
        **{**config.load_defaults()["time"]})
    assert set(T.REQUIRES) == {"blocks", "entities"} and set(T.ASSIGNS) == {"time", "timeline"}


def test_dev_set_floors():
    from presslens.evaluate.time import evaluate

    assert not floors.shortfalls("time", "gold", evaluate(pipeline=None))


@pytest.mark.shared
def test_seed_article(seed_article, nlp):
    records = run(nlp, seed_article, PUB).get("time")
    found = {(r.text, r.value, r.mod) for r in records}
    for expected in [("May 19", "2022-05-19", None), ("May 20", "2022-05-20", None),
                     ("May 3 this year", "2022-05-03", None), ("February this year", "2022-02", None),
                     ("the 1990s", "199X", None), ("before 1997", "1997", "BEFORE"), ("500 years", "P500Y", None),
                     ("the 1930s", "193X", None)]:
        assert expected in found
    assert not any(r.text.lower() == "may" for r in records)  # "it may face retaliation"
    assert not any("S400" in r.text or "MiG" in r.text for r in records)


def test_example_article_dates(nlp):
    text = (REPO / "presslens" / "examples" / "harbour-strike.txt").read_text(encoding="utf-8")
    found = {(r.text, r.value) for r in run(nlp, text, "2024-06-12").get("time")}
    for expected in [("Monday", "2024-06-10"), ("last March", "2024-03"), ("May 3", "2024-05-03"),
                     ("the 1990s", "199X"), ("next week", "2024-W25")]:
        assert expected in found


try:
    from hypothesis import given, settings, strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    WORDS = ["May", "may", "on", "Monday", "the", "1990s", "19th", "century", "last", "next", "week", "2019", "3/21/2021",
             "ago", "two", "years", "every", "at", "8", "p.m.", "now", "before", "1997", "Sunday", "school", ",", ".",
             "this", "year", "following", "in", "early", "mid-", "March", "’s", "-long", "\n"]

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.sampled_from(WORDS), max_size=25), st.sampled_from([None, "2022-05-25", "2020-02-29"]))
    def test_any_word_salad_gives_valid_spans(words, published):
        text = " ".join(words) or "x"
        pub = T.parse_published(published)
        for hit in T.find(text, pub):
            assert 0 <= hit.start < hit.end <= len(text) and hit.value and hit.type in ("DATE", "TIME", "DURATION", "SET")
            if pub is None and hit.value[:1].isdigit() and hit.rule in ("weekday", "month_day", "month", "relday"):
                raise AssertionError(f"{hit.value} resolved without a publication date")


# ---------------------------------------------------------------- anchored scanning is exactly finditer
TRICKY = [
    "From the very beginning of   mid-March 2019, at the  beginning  of the 5th of May, 2020 the 12th of\nJune.",
    "In the beginning of the early 1990s and the '80s, the late-nineties, before the start of the early 19th century.",
    "More than a couple of years ago, about a hundred days ago; at least a dozen weeks-long; a few months from now.",
    "the day before yesterday evening, last night; this past Monday morning; Sunday school; Tuesday's summit; Tues.",
    "at 8 p.m. on Monday, until 10:30am, by 17:45, 7 o'clock, at noon, every two weeks, each Monday, daily.",
    "12/05/2019 2019-05-12 12.05.2019 the first quarter of 2021, early summer of 2018, during the winter of 2012.",
    "Blast March 3, 12019, JanuaryFebruary, MayMay 4, ninetiesixties, the 1800s, 1990’s, ’90s, within decades of.",
    "Odd letters: last weeK (Kelvin sign), two yearſ ago, the tımes, İstanbul in the ſpring of 2019.",
    # the longest lead-in each rule allows before its anchor word
    "the beginning of March 5, 2019; the end of May 5; the middle of June 2020; as of the beginning of June; "
    "the start of 1990; late the summer of 1990; the end of the current year; over decades; a year long stint; "
    "three times a week; the beginning of the year; in the summer; a couple of days from now; the following week.",
]


def assert_anchored_equals_finditer(text):
    anchors = T.Anchors(text)
    for name, pattern, _ in T.rules():
        assert [m.span() for m in anchors.finditer(name, pattern)] == [m.span() for m in pattern.finditer(text)], name


@pytest.mark.parametrize("text", TRICKY)
def test_anchored_scanning_finds_exactly_what_finditer_finds(text):
    assert_anchored_equals_finditer(text)


@pytest.mark.shared
def test_anchored_scanning_on_real_articles(shared_data):
    for path in sorted((shared_data / "data" / "quotes" / "polnear" / "dev" / "text").glob("*.txt"))[:12]:
        assert_anchored_equals_finditer(path.read_text(encoding="utf-8"))


if given is not None:
    SALAD = WORDS + ["the beginning of", "as of", "mid-", "a couple of", "more than", "hundred", "'90s", "twenties",
                     "quarter", "first", "days", "long", "yesterday", "tonight", "noon", "each", "twice", "times",
                     "from now", "hence", "the same", "spring", "fall", "Jan.", "Tues.", "12th", "of", "-", "  ",
                     "\u212a", "\u017f", "\u0131", "\u0130"]

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.sampled_from(SALAD), max_size=30), st.sampled_from([" ", "", "-", "\n"]))
    def test_anchored_scanning_on_word_salad(words, joiner):
        assert_anchored_equals_finditer(joiner.join(words))
