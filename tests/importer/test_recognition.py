"""Outlet and person recognition (sources.recognition)."""

import json

import pytest

from sources.recognition import (
    OUTLET_KINDS,
    SHIPPED_OUTLETS_PATH,
    OutletRegistry,
    PersonRegistry,
    load_shipped_outlets,
)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("al-Jazeera", "Al Jazeera"),
        ("Al Jazeera", "Al Jazeera"),
        ("Aljazeera", "Al Jazeera"),
        ("AL-JAZEERA", "Al Jazeera"),
        ("Al\u00a0Jazeera", "Al Jazeera"),
        ("LA Times", "Los Angeles Times"),
        ("the Los Angeles Times", "Los Angeles Times"),
        ("NYT", "New York Times"),
        ("The New York Times", "New York Times"),
        ("the New York Times’ reporter", "New York Times"),
        ("the New York Times's reporter", "New York Times"),
        ("Asharq al-Awsat", "Asharq Al-Awsat"),
        ("Hurriyet", "Hürriyet"),
        ("Al-Monitor", "Al-Monitor"),
        ("Al Monitor", "Al-Monitor"),
        ("SANA", "Syrian Arab News Agency"),
        ("Syrian Observatory", "Syrian Observatory for Human Rights"),
    ],
)
def test_outlet_spelling_variants_match(text, name):
    (match,) = load_shipped_outlets().find_outlets(f"As {text} said.")
    assert match.outlet.name == name
    assert f"As {text} said."[match.start : match.end] in text


def test_longest_match_wins_and_spans_are_exact():
    text = "the Syrian Observatory for Human Rights, then Reuters"
    matches = load_shipped_outlets().find_outlets(text)
    assert [(m.outlet.name, m.text) for m in matches] == [
        ("Syrian Observatory for Human Rights", "Syrian Observatory for Human Rights"),
        ("Reuters", "Reuters"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a national strategy",
        "the National Coalition said",
        "US foreign policy",
        "ap style",
        "at times",
    ],
)
def test_common_words_and_lower_case_acronyms_do_not_match(text):
    assert load_shipped_outlets().find_outlets(text) == []


def test_common_word_outlets_match_when_written_as_names():
    names = [
        m.outlet.name
        for m in load_shipped_outlets().find_outlets(
            "the National reported, Foreign Policy wrote, the Guardian’s Helen Marsh"
        )
    ]
    assert names == ["The National", "Foreign Policy", "The Guardian"]


def test_shipped_registry_has_the_regions_outlets():
    records = json.loads(SHIPPED_OUTLETS_PATH.read_text(encoding="utf-8"))
    assert len(records) >= 60
    assert all(set(r) == {"name", "kind", "aliases", "homepage", "country"} for r in records)
    assert all(r["kind"] in OUTLET_KINDS for r in records)
    names = {r["name"] for r in records}
    assert {
        "Al Jazeera",
        "Al Arabiya",
        "Asharq Al-Awsat",
        "Al-Monitor",
        "Middle East Eye",
        "The National",
        "Enab Baladi",
        "Syrian Arab News Agency",
        "Syrian Observatory for Human Rights",
        "Anadolu Agency",
        "Haaretz",
        "Times of Israel",
        "Al-Akhbar",
    } <= names


def test_registry_from_records_accepts_editor_added_outlets():
    registry = OutletRegistry.from_records(
        [{"name": "Idlib Post", "kind": "website", "aliases": ["Idleb Post"]}]
    )
    assert [m.outlet.name for m in registry.find_outlets("the Idleb Post wrote")] == ["Idlib Post"]
    with pytest.raises(ValueError, match="unknown kind"):
        OutletRegistry.from_records([{"name": "X", "kind": "blog"}])


def test_people_resolve_short_and_variant_references():
    people = PersonRegistry()
    people.add("Abu Mohammad al-Jolani")
    people.add("Daniel Harrow", role="Secretary of State")
    assert people.resolve("Harrow").name == "Daniel Harrow"
    assert people.resolve("Abu Mohammed al-Julani").name == "Abu Mohammad al-Jolani"
    assert people.resolve("Jolani").name == "Abu Mohammad al-Jolani"
    assert people.resolve("el Jolani").name == "Abu Mohammad al-Jolani"
    assert people.resolve("Someone Else") is None


def test_same_surname_resolves_to_the_most_recent_full_name():
    people = PersonRegistry.from_records([{"name": "Anna Haddad"}, {"name": "Miriam Haddad"}])
    assert people.resolve("Haddad").name == "Miriam Haddad"
