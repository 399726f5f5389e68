"""Attribution rules on small, invented sentences (see docs/importer.md)."""

import pytest

from essays.importer import parse


def only_quote(body: str):
    (quote,) = parse("Title\n\n" + body).quotations
    return quote


def test_reporting_outlet_differs_from_speaker():
    q = only_quote(
        "The New York Times reported that Fadi Saqr told a Saudi news channel "
        "that “the road will open next week.”"
    )
    assert (q.speaker, q.outlet) == ("Fadi Saqr", "New York Times")


def test_affiliation_of_a_journalist_is_the_outlet():
    q = only_quote("Thomas Vail of the New York Times writes that “the logistics came first.”")
    assert (q.speaker, q.outlet, q.speaker_affiliation) == (
        "Thomas Vail",
        "New York Times",
        "New York Times",
    )


def test_possessive_outlet_before_a_name():
    q = only_quote("Al-Monitor’s Kerem Aydin reported that “the posts watched the shelling.”")
    assert (q.speaker, q.outlet) == ("Kerem Aydin", "Al-Monitor")


def test_descriptive_speaker_after_the_quote():
    q = only_quote("“We will never leave Idlib,” a rebel spokesman said.")
    assert (q.speaker, q.speaker_kind, q.rule) == ("a rebel spokesman", "descriptive", "post")


def test_inverted_attribution_with_appositive():
    q = only_quote("“Nobody leaves,” said Omar Haidar, a schoolteacher from Saraqib.")
    assert q.speaker == "Omar Haidar"


def test_citing_makes_an_intermediary():
    q = only_quote(
        "Reuters, citing the Syrian Observatory for Human Rights, quoted a medic as "
        "saying that “the hospital moved three times.”"
    )
    assert (q.speaker, q.outlet, q.via) == (
        "a medic",
        "Reuters",
        "Syrian Observatory for Human Rights",
    )


def test_outlet_speaking_in_its_own_voice_has_no_speaker():
    q = only_quote("According to the Syrian Observatory, “at least 40 people were killed.”")
    assert (q.speaker, q.outlet) == (None, "Syrian Observatory for Human Rights")


def test_short_reference_resolves_to_the_full_name_and_titles_become_role():
    essay = parse(
        "Title\n\nSecretary of State Daniel Harrow said the deal was “a necessity, "
        "not a concession.” Later, Harrow explained that “nothing had changed.”"
    )
    first, second = essay.quotations
    assert first.speaker == second.speaker == "Daniel Harrow"
    assert first.speaker_role == "Secretary of State"


def test_analyst_title_is_stripped_from_the_name():
    q = only_quote("Syria analyst Nadia Rahman argues that “the posts were a line, not a wall.”")
    assert (q.speaker, q.speaker_role) == ("Nadia Rahman", "Syria analyst")


@pytest.mark.parametrize("later", ["al-Hamawi", "Al Hamawi", "Hamwi", "el-Hamwi"])
def test_transliteration_variants_resolve_to_the_first_spelling(later):
    essay = parse(
        "Title\n\nAbdulrahman al-Hamwi told Al Jazeera that “the split was real.” "
        f"“We chose freely,” {later} said."
    )
    assert [q.speaker for q in essay.quotations] == ["Abdulrahman al-Hamwi"] * 2
    assert essay.quotations[0].outlet == "Al Jazeera"


def test_pronoun_and_continuation_follow_the_named_speaker():
    essay = parse(
        "Title\n\nLeila Darwish counted the strikes. “Two hundred,” she said. "
        "“We stopped counting.”"
    )
    assert [q.speaker for q in essay.quotations] == ["Leila Darwish"] * 2


def test_colon_lead_in_paragraph_attributes_the_next_paragraph():
    essay = parse(
        "Title\n\nIn a statement, Colonel Fadi Saqr wrote:\n\n"
        "“We accepted the terms because our people were exhausted.”"
    )
    assert essay.quotations[0].speaker == "Fadi Saqr"
