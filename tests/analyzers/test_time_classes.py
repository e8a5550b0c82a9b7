"""Time ranges and named holidays, normalised against the publication date: short texts written for these tests
(plain text and HTML), with the values a reader expects."""
from __future__ import annotations

import pytest

from presslens.ingest import read_document


@pytest.fixture(scope="module")
def analyse():
    import presslens

    pipeline = presslens.load(analyzers=["blocks", "entities", "time"])

    def run(text: str, published: str):
        if text.startswith("<html>"):
            return pipeline.analyze(read_document(text.encode("utf-8"), "page.html", published, html_hint=True))
        return pipeline.analyze(text, published=published)

    return run


def values(doc) -> dict[str, str]:
    return {t.text: t.value for t in doc.get("time")}


RANGES = [
    ("The programme ran from 2015 to 2019.", "2024-03-01", "2015 to 2019", "2015/2019"),
    ("Between 2010 and 2012 the mill was closed.", "2024-03-01", "2010 and 2012", "2010/2012"),
    ("The survey covers 1998-2004.", "2024-03-01", "1998-2004", "1998/2004"),
    ("The exhibition runs from 14 February to 30 April.", "2023-01-10", "14 February to 30 April",
     "2023-02-14/2023-04-30"),
    ("Prices rose from March 2020 until June 2021.", "2024-03-01", "March 2020 until June 2021", "2020-03/2021-06"),
    ("<html><body><article><h1>Mill history</h1><p>The mill was run by the town from 1921 to 1934, when it was "
     "sold to a private company that kept it open for decades.</p></article></body></html>", "2024-03-01",
     "1921 to 1934", "1921/1934"),
]


def test_two_dates_that_are_no_range_stay_two_points(analyse):
    found = values(analyse("The bridge opened in 2015 and closed in 2019.", "2024-03-01"))
    assert found == {"2015": "2015", "2019": "2019"}


HOLIDAYS = [
    ("The council wants the bridge finished by Christmas.", "2026-11-20", "Christmas", "2026-12-25"),
    ("The shops were packed on Christmas Eve.", "2027-01-05", "Christmas Eve", "2026-12-24"),
    ("The fair opens on Easter Monday.", "2026-11-20", "Easter Monday", "2027-03-29"),
    ("The strike ended before Easter.", "2024-05-02", "Easter", "2024-03-31"),
    ("Families will gather for Thanksgiving.", "2025-10-01", "Thanksgiving", "2025-11-27"),
    ("The deal was signed on New Year's Eve.", "2025-02-10", "New Year's Eve", "2024-12-31"),
    ("The works must be done by Halloween.", "2024-09-15", "Halloween", "2024-10-31"),
    ("He was arrested on Good Friday 2019.", "2024-03-01", "Good Friday 2019", "2019-04-19"),
    ("<html><body><article><h1>Lights</h1><p>The town lights will be switched on in time for Christmas, the mayor "
     "said on Monday, after a year of repairs to the old cables.</p></article></body></html>", "2025-11-03",
     "Christmas", "2025-12-25"),
]


@pytest.mark.parametrize("text,published,span,value", [pytest.param(*row, id=f"range-{i}") for i, row in enumerate(RANGES)]
                         + [pytest.param(*row, id=f"holiday-{i}") for i, row in enumerate(HOLIDAYS)])
def test_ranges_are_one_interval_and_holidays_normalise_against_publication(analyse, text, published, span, value):
    found = values(analyse(text, published))
    assert found.get(span) == value, found


def test_a_holiday_without_a_publication_date_or_year_is_left_out(analyse):
    assert "Christmas" not in values(analyse("The bridge will be finished by Christmas.", None))
