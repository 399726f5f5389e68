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
