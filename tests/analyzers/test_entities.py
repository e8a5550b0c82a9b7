"""entities: who is who — clustering, roles, re-typing and garbled variants (articles written for these tests)."""
from __future__ import annotations


import pytest

from presslens.evaluate import floors
from presslens.analyzers import blocks, entities
from presslens.document import Document


FERRY = """Council approves new ferry link

Deputy Mayor Sandra Okafor said on Tuesday that the ferry link to the islands would open next spring, after years of delays and two failed tenders.

Okafor (left) and transport analyst Peter Lindqvist at the pier. Photo: Coastal Herald

Lindqvist, the chief economist of the Northern Transport Institute, warned that the costs could still rise. "The budget is optimistic," Lindqvist said.

Former mayor Robert Okafor, who served as chairman of the port board, backed the plan at the meeting on Wednesday. Robert said the islands had waited long enough.

Sandra told reporters she was confident the contractor would deliver on time.

Senator Lindgren, who sits on the transport committee, said she would ask for an audit of the tender.
"""

# A machine-translated piece: the host's name comes back garbled in later paragraphs.
SHOW = """Minister faces questions on late-night show

On Friday, Foreign Minister Helena Marsh appeared on the evening programme hosted by host Julien Delacroix, who asked her about the border talks.

"Are the talks dead?" the host asked. Marsh said that the talks were paused but not over, and that both sides wanted to meet again.

Is Delacroy's question fair? Many viewers thought the minister avoided the point about the border and the troops stationed there.

In the second half of the programme, the minister was pressed by Delacroy on the budget, and she said that the ministry would publish its figures in June.

Marsh and Delacroix

The programme drew more viewers than any other show that week, the broadcaster said in a statement on Saturday.
"""


def analyze(nlp, text: str):
    doc = nlp(text)
    article = Document(text=text)
    article.extend("blocks", blocks.analyze(doc, article, blocks.Config())["blocks"])
    return entities.analyze(doc, article, entities.Config())["entities"], article


def person(ents, alias: str):
    found = [e for e in ents if e.type == "PERSON" and alias in e.aliases]
    assert len(found) == 1, (alias, [(e.name, e.aliases) for e in ents if e.type == "PERSON"])
    return found[0]


@pytest.fixture(scope="module")
def ferry(nlp):
    return analyze(nlp, FERRY)[0]


@pytest.fixture(scope="module")
def show(nlp):
    return analyze(nlp, SHOW)[0]


# (alias, canonical name of the entity it must belong to)
FERRY_JOINS = [
    ("Sandra Okafor", "Sandra Okafor"),
    ("Okafor", "Sandra Okafor"),      # surname in the caption, before the other Okafor appears
    ("Sandra", "Sandra Okafor"),      # first-name-only mention
    ("Lindqvist", "Peter Lindqvist"),
    ("Robert", "Robert Okafor"),
]


@pytest.mark.parametrize("alias,name", FERRY_JOINS)
def test_ferry_joins(ferry, alias, name):
    assert person(ferry, alias).name == name


def test_two_people_sharing_a_surname_stay_apart(ferry):
    assert person(ferry, "Sandra Okafor") is not person(ferry, "Robert Okafor")


def test_similar_surname_with_its_own_title_stays_apart(ferry):
    assert person(ferry, "Lindgren") is not person(ferry, "Peter Lindqvist")


# (alias, expected role text)
FERRY_ROLES = [
    ("Sandra Okafor", "Deputy Mayor"),
    ("Peter Lindqvist", "transport analyst"),
    ("Peter Lindqvist", "chief economist of the Northern Transport Institute"),
    ("Robert Okafor", "Former mayor"),
    ("Robert Okafor", "chairman of the port board"),
    ("Lindgren", "Senator"),
]


@pytest.mark.parametrize("alias,role", FERRY_ROLES)
def test_ferry_roles(ferry, alias, role):
    assert role in [r.text for r in person(ferry, alias).roles]


def test_records_are_well_formed(ferry):
    ids = [e.id for e in ferry]
    assert ids == [f"e{i}" for i in range(1, len(ids) + 1)]
    for e in ferry:
        assert e.mentions and e.evidence and e.evidence.by.startswith("entities.")
        assert e.aliases == list(dict.fromkeys(m.text for m in e.mentions))
        for m in e.mentions + e.roles:
            assert FERRY[m.start:m.end] == m.text and 0 < m.confidence <= 1


def test_garbled_variant_joins_with_lower_confidence(show):
    host = person(show, "Julien Delacroix")
    assert "Delacroy" in host.aliases and host.name == "Julien Delacroix"
    variant = [m for m in host.mentions if m.text == "Delacroy"]
    assert variant and all(m.evidence.by == "entities.variant_join" and m.confidence <= 0.6 for m in variant)
    assert "similarity" in variant[0].evidence.why
    assert "host" in [r.text for r in host.roles]


def test_mentions_in_captions_count(show):
    marsh = person(show, "Helena Marsh")
    caption_start = SHOW.index("Marsh and Delacroix")
    assert any(m.start == caption_start for m in marsh.mentions)
    assert "Foreign Minister" in [r.text for r in marsh.roles]


def test_name_before_said_is_retyped_person(nlp):
    text = ("Trade talks stall\n\nSpokesman Kettering said the talks had stalled. "
            "Kettering added that a new round was planned for May.")
    ents, _ = analyze(nlp, text)
    kettering = person(ents, "Kettering")
    assert len(kettering.mentions) == 2


def test_resolve_pronoun_picks_nearest_person(nlp):
    ents, article = analyze(nlp, FERRY)
    article.extend("entities", ents)
    pos = FERRY.index("she was confident")
    assert article.entity(entities.resolve_pronoun(article, None, pos)).name == "Sandra Okafor"


def test_empty_text_degrades(nlp):
    ents, _ = analyze(nlp, "no names here at all.")
    assert ents == []


@pytest.mark.shared
def test_seed_article_entities(nlp, seed_article):
    ents, _ = analyze(nlp, seed_article)
    blinken = person(ents, "Anthony Blinken")
    assert blinken.name == "Anthony Blinken" and "Blinken" in blinken.aliases
    assert "U.S. Secretary of State" in [r.text for r in blinken.roles]
    colbert = person(ents, "Stephen Colbert")
    assert "Kobel" in colbert.aliases and "Colbert" in colbert.aliases
    price = person(ents, "Price")
    assert "Presto" in price.aliases and price.name == "Price"
    hillary = person(ents, "Hillary Clinton")
    assert "Hillary" in hillary.aliases
    bill = [e for e in ents if e.type == "PERSON" and "Clinton" in e.aliases and e is not hillary]
    assert bill and any("President" in r.text for r in bill[0].roles)
    putin = person(ents, "Vladimir Putin")
    assert "Putin" in putin.aliases
    assert "press secretary of the Russian President" in [r.text for r in person(ents, "Peskov").roles]


@pytest.mark.shared
@pytest.mark.parametrize("split", ["dev", "train"])
def test_gum_scores_stay_above_floors(shared_data, split):
    # train too (46 documents, about a minute): clustering must generalise beyond the documents it was written on
    from presslens.evaluate.entities import evaluate

    result = evaluate(shared_data / "data" / "entities" / "gum_news" / "gum" / split)
    assert not floors.shortfalls("entities", f"gum-{split}", result)


# (text, name that must not be a PERSON entity's alias, why)
NOT_PERSONS = [
    ("Budget talks\n\nThe Harbour Times reported on Thursday that the Thursday session was cancelled. "
     "Mayor Ana Ruiz said the council would meet again.", "Thursday", "calendar words are never persons"),
    ("Budget talks\n\nStaff at the Grayson White House said the plan was final. Mayor Ana Ruiz agreed.",
     "Grayson White House", "a name ending in an organisation word is an organisation"),
]


@pytest.mark.parametrize("text,alias,why", NOT_PERSONS)
def test_not_persons(nlp, text, alias, why):
    ents, _ = analyze(nlp, text)
    assert not [e for e in ents if e.type == "PERSON" and alias in e.aliases], why


def test_family_plural_stays_apart(nlp):
    text = ("Campaign trail\n\nFormer governor Walter Brennick said on Monday that he would run again. "
            "The Brennicks have long dominated state politics, and Brennick's allies welcomed the news.")
    ents, _ = analyze(nlp, text)
    walter = person(ents, "Walter Brennick")
    assert "Brennicks" not in walter.aliases


def test_resolve_pronoun_skips_captions(nlp):
    text = ("Bridge opens\n\nMayor Ana Ruiz opened the bridge on Monday, and the crowd cheered for a long time "
            "after the ceremony ended.\n\nTom Okafor (left) and a resident at the bridge. Photo: City Gazette\n\n"
            "She said the bridge was built on time and under budget, which had not happened in the city for years.")
    ents, article = analyze(nlp, text)
    article.extend("entities", ents)
    doc = nlp(text)
    she = next(t for t in doc if t.text == "She")
    assert article.entity(entities.resolve_pronoun(article, doc, she.idx)).name == "Ana Ruiz"
    assert entities.resolve_pronoun(article, doc, she) == entities.resolve_pronoun(article, doc, she.idx)


def test_apostrophe_forms_are_one_name(nlp):
    text = ("Police chief named\n\nCommissioner James O’Neill said on Friday that patrols would increase. "
            "O'Neill added that the budget allowed for two hundred new officers.")
    ents, _ = analyze(nlp, text)
    oneill = person(ents, "James O’Neill")
    assert "O'Neill" in oneill.aliases
    assert all(m.evidence.by != "entities.variant_join" for m in oneill.mentions)


def test_a_place_that_speaks_once_is_not_a_garbled_person(nlp):
    text = ("Talks in Ankara\n\nForeign Minister Amal Turkan met officials in Turkey on Monday. Turkey has long "
            "sought a deal, and Turkey's economy depends on it.\n\nTurkey said the talks would go on. Turkan "
            "said she was hopeful about Turkey and its neighbours.")
    ents, _ = analyze(nlp, text)
    assert "Turkey" not in person(ents, "Amal Turkan").aliases
