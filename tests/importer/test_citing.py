"""A quotation's source comes in with the essay: a link on it or its attribution, a note
marker after it, or a link in its sentence; saved as a Source, reused by its address."""

import pytest

from essays.importer import parse, save_import
from essays.importer.blocks import Reference
from essays.importer.citing import cited_source
from essays.models import Quotation
from sources.models import Source
from tests.factories import make_source, make_user

TEXT = "Officials said “the road is open” on Monday. Later a monitor said “it is shut”."


def at(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


def link(words: str, url: str = "https://example.org/a", title: str = "") -> Reference:
    return Reference(*at(words), url, title)


def test_a_link_on_the_quoted_words_wins():
    source = cited_source(TEXT, *at("the road is open"), [link("road is open", title="Log")])
    assert (source.url, source.title) == ("https://example.org/a", "Log")


def test_a_link_on_the_attribution_then_a_note_marker_after_the_quotation():
    on_speaker = link("Officials said", "https://example.org/officials")
    assert cited_source(TEXT, *at("the road is open"), [on_speaker], attribution=at(
        "Officials said")).url == "https://example.org/officials"  # fmt: skip
    close = at("the road is open")[1] + 1  # after the closing mark
    note = Reference(close, close, "https://example.org/note", "Note 3", note="3")
    assert cited_source(TEXT, *at("the road is open"), [note]).url == "https://example.org/note"


def test_a_link_elsewhere_in_the_sentence_counts_one_in_another_sentence_does_not():
    same = link("on Monday", "https://example.org/monday")
    other = link("a monitor", "https://example.org/monitor")
    assert cited_source(TEXT, *at("the road is open"), [other, same]).url.endswith("/monday")
    assert cited_source(TEXT, *at("the road is open"), [other]) is None
    assert cited_source(TEXT, *at("it is shut"), [other]).url.endswith("/monitor")


def test_only_web_addresses_are_sources():
    mail = link("road is open", "mailto:desk@example.org")
    inner = link("road is open", "#section-2")
    assert cited_source(TEXT, *at("the road is open"), [mail, inner]) is None


MARKDOWN = """# Harbour Links

Officials said [“the road is open”](https://example.org/road "Road report") on Monday.

A monitor wrote that “nothing moved”.[^1]

[^1]: *Harbour Ledger*, “Night log”, https://example.org/night-log
"""


@pytest.mark.django_db
def test_an_import_links_quotations_to_sources_and_reuses_them_by_address():
    existing = make_source(title="Night log (already known)", url="https://example.org/night-log")
    editor = make_user(superuser=True)
    result = save_import(parsed=parse(MARKDOWN, format="markdown"), actor=editor)
    quotes = {
        q.text.strip("“”,."): q for q in Quotation.objects.filter(section__essay=result.essay)
    }
    road = quotes["the road is open"]
    assert (road.source.url, road.source.title) == ("https://example.org/road", "Road report")
    assert quotes["nothing moved"].source == existing
    assert result.sources_created == ["https://example.org/road"]
    assert result.sources_reused == ["https://example.org/night-log"]
    assert "sources 1 new, 1 reused" in result.summary()
    # The import set it, so it is not an editor's fix: a re-import takes the file's again.
    assert road.imported["source_id"] == road.source_id
    second = save_import(parsed=parse(MARKDOWN, format="markdown"), actor=editor)
    assert Source.objects.filter(url="https://example.org/road").count() == 1
    assert second.fixes_kept == 0


def test_a_links_registrable_domain_names_its_outlet():
    from sources.recognition import registrable_domain

    assert registrable_domain("https://news.bbc.co.uk/world/1") == "bbc.co.uk"
    assert registrable_domain("https://WWW.TheGuardian.com/uk") == "theguardian.com"
    assert registrable_domain("not a web address") is None


@pytest.mark.django_db
def test_outlets_know_their_domains_from_their_homepage_and_the_form_cleans_them(admin_client):
    from django.urls import reverse

    from sources.models import Outlet

    assert "nytimes.com" in Outlet.objects.get(name="New York Times").domains
    page = admin_client.post(reverse("admin:sources_outlet_add"), {
        "name": "Harbour Ledger", "kind": "newspaper", "aliases": "",
        "domains": "https://www.harbourledger.example.co.uk/news\nledger.example.org",
    })  # fmt: skip
    assert page.status_code == 302
    assert Outlet.objects.get(name="Harbour Ledger").domains == [
        "example.co.uk", "example.org",
    ]  # fmt: skip
    refused = admin_client.post(reverse("admin:sources_outlet_add"), {
        "name": "Nowhere", "kind": "newspaper", "domains": "not a domain",
    })  # fmt: skip
    assert "is not a web domain" in refused.content.decode()


@pytest.mark.django_db
def test_a_quotation_that_names_no_outlet_takes_the_one_its_link_is_on(shipped_outlets):
    text = (
        "# Harbour Links\n\nThe mayor said [“the port will reopen”]"
        "(https://www.nytimes.com/2024/05/01/world/port.html) on Monday.\n"
    )
    result = save_import(parsed=parse(text, format="markdown"), actor=make_user(superuser=True))
    quotation = Quotation.objects.get(section__essay=result.essay)
    assert quotation.source.outlet.name == "New York Times"
    assert quotation.outlet.name == "New York Times"
    assert quotation.source.title == "nytimes.com/2024/05/01/world/port.html"
