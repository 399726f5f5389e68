"""A claim that is a whole quoted paragraph is marked by a tint and a rule, not an underline."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_claim, make_essay, make_section

pytestmark = pytest.mark.django_db

LONG = (
    "The council's own minutes record that the water authority, having surveyed every "
    "well in the district over two dry summers, concluded that the aquifer could supply "
    "the villages for no more than a decade at the present rate of pumping, and that "
    "nothing in the plan it had been shown would change that rate."
)


def test_long_claims_get_the_long_mark_and_short_ones_keep_the_underline(
    client, publisher, publish
):
    essay = make_essay()
    section = make_section(essay, body=f"Short one: wells ran dry. {LONG} After.")
    make_claim(section, exact="wells ran dry")
    make_claim(section, exact=LONG)
    publish(essay=essay, actor=publisher, override_reason="Go.")
    html = client.get(reverse("public:article", kwargs={"slug": essay.slug})).content.decode()
    marks = re.findall(r'<mark class="([^"]+)">([^<]{0,40})', html)
    classes = {text[:12]: cls for cls, text in marks}
    assert "claim-long" in classes[LONG[:12]]
    assert "claim-long" not in classes["wells ran dr"]
