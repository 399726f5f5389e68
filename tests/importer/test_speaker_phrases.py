"""A speaker is a name or a plain description, never a clause swept in with it."""

import pytest

from tests.importer.conftest import parse_text

pytestmark = pytest.mark.django_db


def speakers(body: str) -> list:
    parsed = parse_text("A Test Essay\n\n" + body + "\n")
    return [q.speaker for section in parsed.sections for q in section.quotations]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # a clause before a semicolon is not part of the speaker
        ("Alder Ridge said nothing publicly; its lawyer said “the contract speaks for itself.”",
         "its lawyer"),
        ("The firm stayed silent; a spokeswoman said “we will not comment on rumours.”",
         "a spokeswoman"),
        # a trailing temporal or relative clause is cut off
        ("Lennox, when the figure was put to him, said “it is simply wrong.”", "Lennox"),
        ("Amira Saleh, who ran the clinic, said “we had no power for a week.”", "Amira Saleh"),
    ],
)  # fmt: skip
def test_speakers_are_names_or_descriptions(body, expected):
    found = speakers(body)
    assert found and found[0] == expected, found


@pytest.mark.parametrize(
    "body",
    [
        "The Selwyn Ledger said “the count was flawed from the start.”",
        "The Harbour Commission said “no ship was turned away.”",
    ],
)
def test_an_organisation_named_with_the_article_is_never_a_person(body):
    assert speakers(body) == [None]
