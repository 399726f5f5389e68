"""The claim page shows each wording once: the claim whole, the essay's words, a restatement."""

import pytest
from django.urls import reverse

from publishing.rendering import claim_wording
from tests.factories import make_essay, make_section
from tests.publishing.builders import approve

pytestmark = pytest.mark.django_db


def wording(short="", statement="", exact=""):
    return claim_wording({"short_statement": short, "statement": statement, "exact": exact})


def test_a_short_statement_cut_with_an_ellipsis_gives_way_to_the_whole_claim():
    long = "Between 2015 and 2019 the valley lost 40,000 residents to the drought, not the war"
    got = wording(short=long[:60] + "…", statement=long, exact=long + ".")
    assert got == {"heading": long, "quote": "", "restated": ""}
    # the three-dot spelling too, and with no restatement the essay's words are the heading
    got = wording(short="Twelve wells were dug...", exact="Twelve wells were dug in the spring.")
    assert got["heading"] == "Twelve wells were dug in the spring." and got["quote"] == ""


def test_the_essays_words_and_the_restatement_show_only_where_they_differ():
    got = wording(
        short="Exports fell by half",
        statement="Exports fell by half between 2011 and 2013",
        exact="“exports,” the ministry said, “fell by half” in two years",
    )
    assert got["heading"] == "Exports fell by half"
    assert got["quote"].startswith("“exports,”")
    assert got["restated"] == "Exports fell by half between 2011 and 2013"
    # the same words up to case, spacing and quotation marks count as the same
    got = wording(short="The dam  was finished", statement="the dam was finished.",
                  exact="“The dam was finished”")  # fmt: skip
    assert got == {"heading": "The dam  was finished", "quote": "", "restated": ""}
    # Arabic, with its own full stop
    got = wording(short="جفّ النهر", statement="جفّ النهر", exact="جفّ النهر في الصيف.")
    assert got == {"heading": "جفّ النهر", "quote": "جفّ النهر في الصيف.", "restated": ""}


def test_the_claim_page_says_the_claim_once_and_whole(client, publisher, publish):
    from tests.factories import make_claim

    essay = make_essay()
    body = "Intro. The valley lost forty thousand residents to the drought, not the war. End."
    section = make_section(essay, heading="Numbers", body=body)
    exact = "The valley lost forty thousand residents to the drought, not the war."
    claim = make_claim(
        section,
        exact=exact,
        statement=exact,
        short_statement="The valley lost forty thousand residents to…",
    )
    approve(claim, "false")
    publish(essay=essay, actor=publisher)
    html = client.get(
        reverse("public:claim", kwargs={"slug": essay.slug, "claim_id": claim.pk})
    ).content.decode()
    assert f'<h1 dir="auto">{exact}</h1>' in html
    assert "Restated" not in html and "…</h1>" not in html
    assert html.split("<main", 1)[1].count("forty thousand residents") == 1
