"""What an import accepts, what it refuses, and that a refused file writes nothing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings

from essays.models import Claim, Quotation
from essays.resources import claim_import_status_errors
from review.choices import ClaimStatus, Verdict
from review.models import CounterEvidence
from review.resources import counter_evidence_approval_errors
from sources.models import Outlet, Person, Source
from spreadsheets.exchange import import_bytes, read_dataset, resource_named
from spreadsheets.limits import ImportRefused
from spreadsheets.resources import row_errors
from spreadsheets.widgets import join_names, split_names
from tests.factories import (
    make_claim,
    make_counter_evidence,
    make_essay,
    make_outlet,
    make_person,
    make_section,
    make_source,
    make_user,
)
from tests.spreadsheets.helpers import import_csv, import_json, snapshot, totals, xlsx_bytes

pytestmark = pytest.mark.django_db


def source_row(**cells) -> dict:
    row = {
        "url": "https://wire.example.org/a",
        "title": "A",
        "outlet": "",
        "authors": "",
        "kind": "article",
        "published_on": "",
        "archived_url": "",
        "tags": "",
        "notes": "",
    }
    return row | cells


# -- lists in one cell -----------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [[], ["al-Jazeera"], ["Al Jazeera", "al-Jazeera"], ["Reuters, Ltd", 'The "Wire"', "قناة"]],
)
def test_name_lists_survive_a_cell(names):
    assert split_names(join_names(names)) == names


def test_name_cells_drop_blanks_and_repeats_and_accept_line_breaks():
    assert split_names("BBC, ,bbc\nBBC Arabic\u00a0 ") == ["BBC", "BBC Arabic"]


# -- outlets ---------------------------------------------------------------------------


def test_importing_outlets_creates_them_with_aliases_kind_and_country():
    result = import_csv(
        "outlet",
        [
            {"name": "Meridian Wire", "aliases": 'MW, "Meridian, Inc"', "kind": "Wire service"},
            {"name": "Sarran Daily", "aliases": "", "kind": "website", "country": "Qadirra"},
        ],
        headers=["name", "aliases", "kind", "country"],
    )
    assert row_errors(result) == []
    assert totals(result) == (2, 0, 0)
    wire = Outlet.objects.get(name="Meridian Wire")
    assert wire.aliases == ["MW", "Meridian, Inc"] and wire.kind == Outlet.Kind.WIRE
    assert wire.slug == "meridian-wire"
    assert Outlet.objects.get(name="Sarran Daily").country == "Qadirra"


def test_an_outlet_named_by_another_outlets_alias_is_refused():
    make_outlet(name="The Harbor Ledger", aliases=["Harbor Ledger"])
    result = import_csv("outlet", [{"name": "harbor ledger", "kind": "newspaper"}])
    assert row_errors(result) == [
        "Row 1, name: “harbor ledger” is an alias of the outlet “The Harbor Ledger”. "
        "Use that name, or remove the alias from it first."
    ]
    assert Outlet.objects.count() == 1


def test_an_alias_that_already_names_another_outlet_is_refused():
    make_outlet(name="Meridian Wire")
    result = import_csv("outlet", [{"name": "Sarran Daily", "aliases": "meridian wire"}])
    assert row_errors(result) == [
        "Row 1, aliases: “meridian wire” already names the outlet “Meridian Wire”."
    ]
    assert not Outlet.objects.filter(name="Sarran Daily").exists()


def test_an_unknown_kind_is_reported_with_the_allowed_values():
    result = import_csv("outlet", [{"name": "X", "kind": "blog"}])
    (problem,) = row_errors(result)
    assert problem.startswith("Row 1, kind: “blog” is not one of: newspaper, wire,")


def test_model_validation_refuses_a_javascript_homepage():
    result = import_csv("outlet", [{"name": "X", "homepage": "javascript:alert(1)"}])
    assert row_errors(result) == ["Row 1, homepage: Enter a valid URL."]
    assert not Outlet.objects.exists()


# -- people -------------------------------------------------------------------------


def test_people_with_the_same_name_need_a_slug():
    make_person(name="Omar Qassab", affiliation="Mayor")
    make_person(name="Omar Qassab", affiliation="Poet")
    result = import_csv("person", [{"name": "Omar Qassab", "affiliation": "Mayor of Kafr Ayyub"}])
    assert row_errors(result) == [
        "Row 1, name: 2 people are named “Omar Qassab” (omar-qassab, omar-qassab-2); add the slug."
    ]
    result = import_csv(
        "person",
        [{"slug": "omar-qassab-2", "name": "Omar Qassab", "affiliation": "Poet and mayor"}],
    )
    assert totals(result) == (0, 1, 0)
    assert Person.objects.get(slug="omar-qassab-2").affiliation == "Poet and mayor"


def test_a_new_person_keeps_the_slug_the_sheet_gives():
    result = import_csv(
        "person", [{"slug": "huda-m", "name": "Huda Mansour", "aliases": "H. Mansour"}]
    )
    assert row_errors(result) == []
    assert Person.objects.get(slug="huda-m").aliases == ["H. Mansour"]


def test_a_malformed_slug_is_refused():
    result = import_csv("person", [{"slug": "huda mansour!", "name": "Huda Mansour"}])
    assert [p.split(":")[0] for p in row_errors(result)] == ["Row 1, slug"]
    assert not Person.objects.exists()


# -- sources -----------------------------------------------------------------------------


def test_importing_a_source_links_outlet_by_alias_authors_by_name_and_tags_by_name():
    make_outlet(name="The Harbor Ledger", aliases=["the Ledger"])
    voss = make_person(name="Hannah Voss", aliases=["H. Voss"])
    result = import_csv(
        "source",
        [
            source_row(
                title="Giddy on the breakwater",
                outlet="THE LEDGER",
                authors="H. Voss",
                published_on="2023-03-14",
                tags='ceasefires, "Qadirra, north", civil war',
            )
        ],
    )
    assert row_errors(result) == []
    source = Source.objects.get(url="https://wire.example.org/a")
    assert source.outlet.name == "The Harbor Ledger"
    assert list(source.authors.all()) == [voss]
    assert source.published_on.isoformat() == "2023-03-14"
    assert sorted(t.name for t in source.tags.all()) == [
        "Qadirra, north",
        "ceasefires",
        "civil war",
    ]


def test_unknown_outlet_bad_date_and_unknown_author_are_reported_per_row_and_column():
    make_outlet(name="Meridian Wire")
    result = import_csv(
        "source",
        [
            source_row(url="https://wire.example.org/ok", title="Fine", outlet="Meridian Wire"),
            source_row(url="https://wire.example.org/b", title="B", outlet="Daily Planet"),
            source_row(url="https://wire.example.org/c", title="C", published_on="03/05/2023"),
            source_row(url="https://wire.example.org/d", title="D", authors="Nobody Known"),
        ],
    )
    assert row_errors(result) == [
        "Row 2, outlet: Unknown outlet “Daily Planet”. Add it to the outlets sheet first, "
        "or use a name or alias Counterpoint already knows.",
        "Row 3, published_on: “03/05/2023” is not a date; write dates as YYYY-MM-DD, "
        "e.g. 2024-05-03.",
        "Row 4, authors: Unknown person “Nobody Known”. Add them to the people sheet first.",
    ]
    # One transaction: the valid first row was rolled back with the others.
    assert not Source.objects.exists()


def test_duplicate_keys_in_one_file_are_reported_on_the_repeat():
    result = import_csv(
        "source",
        [
            source_row(url="https://wire.example.org/a", title="First"),
            source_row(url="https://wire.example.org/a", title="Second"),
        ],
    )
    assert row_errors(result) == [
        "Row 2, url: Duplicate of row 1: the same url appear twice in this file."
    ]
    assert not Source.objects.exists()


def test_a_person_named_by_slug_and_again_by_name_is_a_duplicate():
    person = make_person(name="Amal al-Haddad", affiliation="Interior")
    rows = [
        {"slug": person.slug, "name": "Amal al-Haddad", "affiliation": "Ministry"},
        {"slug": "", "name": "Amal al-Haddad", "affiliation": "University"},
    ]
    result = import_csv("person", rows)
    assert row_errors(result) == [
        "Row 2, slug: Duplicate of row 1: both rows are the same person, "
        "and the second would overwrite the first."
    ]
    person.refresh_from_db()
    assert person.affiliation == "Interior"


def test_a_tag_longer_than_the_tag_table_holds_is_refused_on_its_column():
    # Was a database error on PostgreSQL ("Row 1: value too long…") and kept on SQLite.
    before = snapshot()
    result = import_csv("source", [source_row(tags="short, " + "x" * 101)])
    assert row_errors(result) == [
        "Row 1, tags: A tag may have at most 100 characters; this one has 101: “" + "x" * 40 + "…”."
    ]
    assert snapshot() == before


def test_an_ambiguous_author_is_reported_with_the_way_out():
    make_person(name="Omar Qassab")
    make_person(name="Omar Qassab")
    result = import_csv("source", [source_row(authors="Omar Qassab")])
    assert row_errors(result) == [
        "Row 1, authors: 2 persons are named “Omar Qassab”; use a name only one of them has."
    ]
    result = import_csv("source", [source_row(authors="omar-qassab-2")])
    assert row_errors(result) == []
    assert [p.slug for p in Source.objects.get().authors.all()] == ["omar-qassab-2"]


def test_model_validation_refuses_a_non_http_source_url():
    result = import_csv("source", [source_row(url="javascript:alert(1)//", title="x")])
    assert row_errors(result) == ["Row 1, url: Enter a valid URL."]


def test_json_files_import_native_values():
    result = import_json(
        "source",
        [source_row(url="https://wire.example.org/j", title="J", tags="a, b")],
        dry_run=False,
    )
    assert row_errors(result) == []
    assert Source.objects.get().tags.count() == 2


# -- whole files -----------------------------------------------------------------------


def test_unknown_and_missing_columns_refuse_the_file_before_any_row():
    result = import_csv("outlet", [{"titel": "X", "kind": "wire"}])
    assert row_errors(result) == [
        "File: Unknown column “titel”.",
        "File: Missing column(s): “name”.",
        "File: This sheet's columns are: name, aliases, kind, country, homepage, domains.",
    ]
    assert not Outlet.objects.exists()


def test_a_repeated_column_refuses_the_file():
    data = b"name,kind,Name\nX,wire,Y\n"
    from spreadsheets.exchange import import_bytes, resource_named

    result = import_bytes(resource_named("outlet"), data=data, file_format="csv", dry_run=False)
    assert row_errors(result)[0] == "File: The column “name” appears twice."


SURROGATE = (
    "File: Row 2, {}: the cell holds half of a UTF-16 surrogate pair (U+D800), which is not "
    "text. Remove it."
)


@pytest.mark.parametrize(
    "file_format, data, column",
    [
        ("xlsx", xlsx_bytes([["name", "kind"], ["A", "wire"], ["C", "_xD800_"]]), "kind"),
        (
            "json",
            b'[{"name": "A", "country": ""}, {"name": "C", "country": "Qa\\ud800"}]',
            "country",
        ),
        (
            "json",
            b'[{"name": "A", "aliases": []}, {"name": "C", "aliases": ["Z\\ud800"]}]',
            "aliases",
        ),
    ],
)
def test_a_lone_surrogate_refuses_the_file_naming_row_and_column(file_format, data, column):
    # It is not text: SQLite and PostgreSQL both fail to store it, and an unknown "kind"
    # spelled with one came back in an error message the admin could not send (a 500).
    before = snapshot()
    result = import_bytes(
        resource_named("outlet"), data=data, file_format=file_format, dry_run=False
    )
    assert row_errors(result) == [SURROGATE.format(column)]
    assert snapshot() == before


def test_a_lone_surrogate_in_a_header_refuses_the_file():
    result = import_json("outlet", [{"name": "A", "cou\ud800ntry": "B"}], dry_run=False)
    assert row_errors(result) == [
        "File: Column 2's header holds half of a UTF-16 surrogate pair (U+D800), which is not "
        "text. Remove it."
    ]


def test_header_case_and_stray_spaces_are_forgiven():
    result = import_csv("outlet", [{" Name ": "Meridian Wire", "KIND": "wire"}])
    assert row_errors(result) == []
    assert Outlet.objects.get().kind == Outlet.Kind.WIRE


@override_settings(COUNTERPOINT_IMPORT_MAX_ROWS=2)
def test_too_many_rows_refuse_the_file_with_a_clear_message():
    with pytest.raises(ImportRefused) as refused:
        import_csv("outlet", [{"name": f"O{i}"} for i in range(3)])
    assert str(refused.value) == (
        "The file has more than 2 rows; imports are limited to 2 rows at a time. "
        "Split it into smaller files."
    )
    assert not Outlet.objects.exists()


@override_settings(COUNTERPOINT_IMPORT_MAX_BYTES=100)
def test_too_big_a_file_is_refused_before_it_is_parsed():
    with pytest.raises(ImportRefused, match="imports are limited to 100"):
        read_dataset(b"name\n" + b"x" * 200, file_format="csv")


def test_an_unreadable_file_is_refused_with_its_format():
    with pytest.raises(ImportRefused, match="could not be read as XLSX"):
        read_dataset(b"not a zip file", file_format="xlsx")


def test_one_bad_row_rolls_back_every_row_before_it():
    before = snapshot()
    result = import_csv(
        "outlet",
        [{"name": f"Outlet {i}", "kind": "wire"} for i in range(20)]
        + [{"name": "", "kind": "wire"}],
    )
    assert row_errors(result) == ["Row 21, name: This field cannot be blank."]
    assert totals(result)[0] == 20  # …reported as they would have been…
    assert snapshot() == before  # …but none was written.


def test_a_dry_run_writes_nothing():
    result = import_csv("outlet", [{"name": "Meridian Wire"}], dry_run=True)
    assert totals(result) == (1, 0, 0)
    assert not Outlet.objects.exists()


# -- quotations ------------------------------------------------------------------------


def test_a_quotation_without_offsets_is_found_in_its_section():
    section = make_section(make_essay(slug="the-quiet"))
    make_outlet(name="Meridian Wire")
    result = import_csv(
        "quotation",
        [
            {
                "essay": "the-quiet",
                "section": "0",
                "text": "the road is open",
                "via": "Meridian Wire",
            }
        ],
    )
    assert row_errors(result) == []
    quotation = Quotation.objects.get()
    assert section.body[quotation.start : quotation.end] == "the road is open"
    assert quotation.via.name == "Meridian Wire" and quotation.emphasis_added is False


def test_quotation_rows_naming_missing_places_or_text_are_refused():
    make_section(make_essay(slug="the-quiet"))
    result = import_csv(
        "quotation",
        [
            {"essay": "no-such-essay", "section": "0", "text": "x", "start": "", "end": ""},
            {"essay": "the-quiet", "section": "4", "text": "x", "start": "", "end": ""},
            {"essay": "the-quiet", "section": "0", "text": "never said", "start": "", "end": ""},
            {
                "essay": "the-quiet",
                "section": "0",
                "text": "the road is open",
                "start": "0",
                "end": "16",
            },
            {"essay": "the-quiet", "section": "zero", "text": "x", "start": "", "end": ""},
        ],
    )
    assert row_errors(result) == [
        "Row 1, section: Unknown essay “no-such-essay”; the essay column takes an essay's slug.",
        "Row 2, section: The essay “the-quiet” has no section 4 (sections count from 0).",
        "Row 3, text: This text is not in section 0 of “the-quiet”; correct it, or give start "
        "and end.",
        "Row 4, start: Characters 0–16 of the section are “The council said”, not this row's "
        "“text”; correct the offsets or leave them blank.",
        "Row 5, section: “zero” is not a whole number.",
    ]
    assert not Quotation.objects.exists()


# -- claims: imports never move a claim through the workflow ---------------------------------


def claim_row(**cells) -> dict:
    row = {"essay": "the-quiet", "section": "0", "exact": "40,000 people left", "statement": ""}
    return row | cells


def test_a_new_claim_is_created_unreviewed_with_its_anchor_derived():
    section = make_section(make_essay(slug="the-quiet"))
    result = import_csv("claim", [claim_row(status="unreviewed", short_statement="40,000 left")])
    assert row_errors(result) == []
    claim = Claim.objects.get()
    assert (claim.status, claim.verdict) == (ClaimStatus.UNREVIEWED, "")
    assert section.body[claim.start : claim.end] == "40,000 people left"
    assert claim.prefix.endswith("on 3 May, and ") and claim.suffix == "."


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"status": "approved", "verdict": "false"}, "status"),
        ({"status": "proposed"}, "status"),
        ({"status": "in_review"}, "status"),
        ({"status": "Verdict approved"}, "status"),
        ({"verdict": "supported"}, "verdict"),
    ],
)
def test_a_new_claim_cannot_arrive_with_a_status_or_verdict(cells, column):
    make_section(make_essay(slug="the-quiet"))
    result = import_csv("claim", [claim_row(**cells)])
    problems = row_errors(result)
    assert any(p.startswith(f"Row 1, {column}: ") for p in problems), problems
    assert not Claim.objects.exists()


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"status": "approved"}, "status"),
        ({"status": "unreviewed"}, "status"),
        ({"verdict": "false"}, "verdict"),
        ({"status": "approved", "verdict": "false"}, "verdict"),
    ],
)
def test_an_import_cannot_change_an_existing_claims_status_or_verdict(cells, column):
    claim = make_claim(
        make_section(make_essay(slug="the-quiet")),
        status=ClaimStatus.PROPOSED,
        verdict=Verdict.MISLEADING,
    )
    result = import_csv("claim", [claim_row(statement="Edited", **cells)])
    problems = row_errors(result)
    assert any(p.startswith(f"Row 1, {column}: The claim ") for p in problems), problems
    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.statement) == (
        "proposed",
        "misleading",
        "40,000 people left",
    )


def test_an_existing_claim_is_edited_when_status_and_verdict_cells_agree_or_are_blank():
    claim = make_claim(
        make_section(make_essay(slug="the-quiet")),
        status=ClaimStatus.PROPOSED,
        verdict=Verdict.FALSE,
    )
    result = import_csv(
        "claim",
        [claim_row(statement="Forty thousand left.", status="proposed", verdict="False")],
    )
    assert row_errors(result) == [] and totals(result) == (0, 1, 0)
    result = import_csv(
        "claim", [claim_row(statement="Forty thousand left!", status="", verdict="")]
    )
    assert row_errors(result) == [] and totals(result) == (0, 1, 0)
    claim.refresh_from_db()
    assert (claim.status, claim.verdict, claim.statement) == (
        "proposed",
        "false",
        "Forty thousand left!",
    )


@pytest.mark.parametrize(
    "cells, column",
    [
        ({"statement": "Forty thousand left."}, "statement"),
        ({"verdict_summary": "Census figures say otherwise."}, "verdict_summary"),
        ({"short_statement": "40k left"}, "short_statement"),
    ],
)
def test_an_import_cannot_change_what_readers_see_of_an_approved_claim(cells, column):
    claim = make_claim(
        make_section(make_essay(slug="the-quiet")),
        status=ClaimStatus.APPROVED,
        verdict=Verdict.FALSE,
    )
    before = Claim.objects.filter(pk=claim.pk).values().get()
    result = import_csv("claim", [claim_row(statement="40,000 people left") | cells])
    problems = row_errors(result)
    assert any(
        p.startswith(f"Row 1, {column}: This claim's verdict is approved") for p in problems
    ), problems
    assert Claim.objects.filter(pk=claim.pk).values().get() == before


def test_an_approved_claim_imported_unchanged_is_accepted():
    claim = make_claim(
        make_section(make_essay(slug="the-quiet")),
        status=ClaimStatus.APPROVED,
        verdict=Verdict.FALSE,
        check_worthiness="0.5",
    )
    result = import_csv(
        "claim", [claim_row(statement="40,000 people left", check_worthiness="0.9")]
    )
    assert row_errors(result) == [], row_errors(result)
    claim.refresh_from_db()
    assert (claim.status, float(claim.check_worthiness)) == ("approved", 0.9)


def test_an_unknown_status_is_reported_with_the_allowed_values():
    make_section(make_essay(slug="the-quiet"))
    result = import_csv("claim", [claim_row(status="done")])
    assert row_errors(result) == [
        "Row 1, status: “done” is not one of: unreviewed, in_review, proposed, approved."
    ]


def test_the_status_rule_table():
    ok = {}
    assert claim_import_status_errors(current=None, status="", verdict="") == ok
    assert claim_import_status_errors(current=None, status="unreviewed", verdict="") == ok
    assert set(claim_import_status_errors(current=None, status="approved", verdict="false")) == {
        "status",
        "verdict",
    }
    current = ("approved", "false")
    assert claim_import_status_errors(current=current, status="approved", verdict="false") == ok
    assert claim_import_status_errors(current=current, status="", verdict="") == ok
    assert set(claim_import_status_errors(current=current, status="in_review", verdict="")) == {
        "status"
    }
    assert set(claim_import_status_errors(current=current, status="", verdict="true")) == {
        "verdict"
    }


def test_an_import_cannot_move_an_existing_claim_onto_other_words():
    claim = make_claim(make_section(make_essay(slug="the-quiet")))
    result = import_csv("claim", [claim_row(statement=claim.statement, start="0", end="16")])
    assert row_errors(result) == [
        "Row 1, start: Characters 0–16 of the section are “The council said”, not this row's "
        "“exact”; correct the offsets or leave them blank."
    ]
    claim.refresh_from_db()
    assert claim.section.body[claim.start : claim.end] == "40,000 people left"


def test_an_import_may_move_a_claim_to_another_place_where_its_words_stand():
    body = "The council said 40,000 people left. The monitor doubts 40,000 people left."
    claim = make_claim(make_section(make_essay(slug="the-quiet"), body=body))
    second = body.rindex("40,000 people left")
    result = import_csv(
        "claim",
        [claim_row(statement=claim.statement, start=str(second), end=str(second + 18))],
    )
    assert row_errors(result) == [] and totals(result) == (0, 1, 0)
    claim.refresh_from_db()
    assert (claim.start, claim.end, claim.anchor_lost) == (second, second + 18, False)


@pytest.mark.parametrize("start, end", [("0", "16"), ("", "")])
def test_an_import_cannot_move_a_claim_whose_anchor_is_lost(start, end):
    """Its flag would then describe a problem that is gone; the claim's page clears both."""
    claim = make_claim(make_section(make_essay(slug="the-quiet")))
    # As a re-import leaves it: its words are gone, its offsets at the closest match.
    Claim.objects.filter(pk=claim.pk).update(exact="40,000 people fled", anchor_lost=True)
    before = snapshot()

    result = import_csv("claim", [claim_row(exact="40,000 people fled", start=start, end=end)])

    assert row_errors(result) == [
        "Row 1, start: This claim's anchor is lost (anchor_lost); an import cannot move it. "
        "Fix the anchor on the claim's page in Counterpoint, which also clears the flag."
    ]
    assert snapshot() == before


# -- counter-evidence: never approved by import -------------------------------------------


def evidence_row(**cells) -> dict:
    row = {
        "essay": "the-quiet",
        "claim": "40,000 people left",
        "source": "https://monitor.example.org/report",
        "stance": "contradicts",
        "position": "0",
        "summary": "The Monitor counted 26,000.",
    }
    return row | cells


@pytest.fixture
def claim_with_source(db):
    claim = make_claim(make_section(make_essay(slug="the-quiet")))
    source = make_source(url="https://monitor.example.org/report")
    return claim, source


def test_new_counter_evidence_is_created_unapproved_and_credited_to_the_importer(claim_with_source):
    claim, source = claim_with_source
    publisher = make_user("Publisher")
    result = import_csv("counterevidence", [evidence_row(approved="0")], user=publisher)
    assert row_errors(result) == []
    evidence = CounterEvidence.objects.get()
    assert (evidence.claim, evidence.source, evidence.approved) == (claim, source, False)
    assert evidence.created_by == publisher


@pytest.mark.parametrize("cell", ["1", "yes", "TRUE"])
def test_new_counter_evidence_cannot_be_imported_approved(claim_with_source, cell):
    result = import_csv("counterevidence", [evidence_row(approved=cell)])
    assert row_errors(result) == [
        "Row 1, approved: Counter-evidence cannot be imported as approved; a publisher "
        "approves it in Counterpoint."
    ]
    assert not CounterEvidence.objects.exists()


def test_an_import_cannot_unapprove_counter_evidence(claim_with_source):
    claim, source = claim_with_source
    evidence = make_counter_evidence(claim, source=source, approved=True)
    result = import_csv("counterevidence", [evidence_row(approved="0", summary="Changed")])
    (problem,) = row_errors(result)
    assert problem.startswith("Row 1, approved: This counter-evidence is approved in Counterpoint")
    evidence.refresh_from_db()
    assert evidence.approved and evidence.summary != "Changed"


def test_importing_new_words_for_approved_counter_evidence_withdraws_the_approval(
    claim_with_source,
):
    from review import services

    claim, source = claim_with_source
    evidence = make_counter_evidence(claim, source=source, approved=True)
    importer = make_user("Publisher")
    result = import_csv(
        "counterevidence", [evidence_row(approved="1", summary="The Monitor counted 25,500.")],
        user=importer,
    )  # fmt: skip
    assert row_errors(result) == []
    evidence.refresh_from_db()
    assert (evidence.summary, evidence.approved, evidence.approved_by) == (
        "The Monitor counted 25,500.", False, None,
    )  # fmt: skip
    assert evidence.text_edited_by == importer
    with pytest.raises(PermissionDenied):  # the importer changed the words: not theirs to approve
        services.counter_evidence_approve(evidence=evidence, actor=importer)


def test_the_approval_rule_table():
    assert counter_evidence_approval_errors(current=None, approved=None) == []
    assert counter_evidence_approval_errors(current=None, approved=False) == []
    assert counter_evidence_approval_errors(current=True, approved=True) == []
    assert counter_evidence_approval_errors(current=False, approved=None) == []
    assert counter_evidence_approval_errors(current=None, approved=True)
    assert counter_evidence_approval_errors(current=False, approved=True)
    assert counter_evidence_approval_errors(current=True, approved=False)


@pytest.mark.parametrize("existing", [True, False], ids=["existing", "new"])
def test_two_rows_naming_the_same_counter_evidence_differently_are_duplicates(
    claim_with_source, existing
):
    # The source by its URL, then by its title: before, the second row silently
    # overwrote the first (or the item the first had just created) and both "succeeded".
    claim, source = claim_with_source
    if existing:
        make_counter_evidence(claim, source=source, summary="Kept")
    before = snapshot()
    result = import_csv(
        "counterevidence",
        [
            evidence_row(summary="First"),
            evidence_row(source=source.title, position="1", summary="Second"),
        ],
    )
    assert row_errors(result) == [
        "Row 2, essay: Duplicate of row 1: both rows are the same counter-evidence, "
        "and the second would overwrite the first."
    ]
    assert snapshot() == before


def test_counter_evidence_for_an_unknown_claim_or_source_is_refused(claim_with_source):
    result = import_csv(
        "counterevidence",
        [
            evidence_row(claim="Nobody said this"),
            evidence_row(source="https://nowhere.example.org/"),
            evidence_row(approved="maybe"),
        ],
    )
    assert row_errors(result) == [
        "Row 1, claim: No claim in the essay “the-quiet” has the text “Nobody said this”.",
        "Row 2, source: No source has the URL “https://nowhere.example.org/”. Add it to the "
        "sources sheet first.",
        "Row 3, approved: “maybe” is not yes or no; write 1 or 0.",
    ]


def test_an_imported_edit_moves_the_claim_to_its_next_version_and_records_the_importer():
    claim = make_claim(make_section(make_essay(slug="the-quiet")))
    editor = make_user("Editor")
    result = import_csv("claim", [claim_row(statement="Forty thousand left.")], user=editor)
    assert row_errors(result) == []
    claim.refresh_from_db()
    assert (claim.statement, claim.version) == ("Forty thousand left.", 2)
    assert claim.history.latest().history_user == editor


def test_an_unchanged_claim_keeps_its_version():
    claim = make_claim(make_section(make_essay(slug="the-quiet")))
    result = import_csv("claim", [claim_row(statement=claim.statement)])
    assert totals(result) == (0, 0, 1)
    claim.refresh_from_db()
    assert claim.version == 1


def test_a_claim_changed_while_the_file_was_read_is_not_overwritten(monkeypatch):
    from django.db.models import F

    from essays.resources import ClaimResource

    claim = make_claim(make_section(make_essay(slug="the-quiet")))
    find_existing = ClaimResource.find_existing

    def found_then_changed_elsewhere(self, row):
        found = find_existing(self, row)
        Claim.objects.filter(pk=found.pk).update(version=F("version") + 1)
        return found

    monkeypatch.setattr(ClaimResource, "find_existing", found_then_changed_elsewhere)
    result = import_csv("claim", [claim_row(statement="Mine")])
    assert row_errors(result) == [
        "Row 1: This claim changed in Counterpoint while the file was being imported; "
        "export it again and redo the change."
    ]
    claim.refresh_from_db()
    assert claim.statement == "40,000 people left"


# -- characters no database may see ---------------------------------------------------------


@pytest.mark.parametrize("importer", [import_csv, import_json])
def test_a_null_character_in_any_cell_is_refused_naming_its_column(importer):
    """As every admin form does: PostgreSQL cannot store it, and SQLite must not either."""
    make_section(make_essay(slug="the-quiet"))
    make_outlet(name="Meridian Wire")
    result = importer(
        "quotation",
        [
            {
                "essay": "the-quiet",
                "section": "0",
                "text": "the road is open",
                "via": "Meridian Wire",
            },
            {
                "essay": "the-quiet",
                "section": "0",
                "text": "40,000\x00people",
                "via": "Meridian\x00Wire",
            },
        ],
        dry_run=False,
    )
    assert row_errors(result) == [
        "Row 2, text: Null characters are not allowed.",
        "Row 2, via: Null characters are not allowed.",
    ]
    assert not Quotation.objects.exists()

    result = importer("person", [{"slug": "a\x00b", "name": "Huda Mansour"}], dry_run=False)
    assert row_errors(result) == ["Row 1, slug: Null characters are not allowed."]
    assert not Person.objects.exists()


def test_a_null_character_inside_a_json_list_cell_is_refused_naming_its_column():
    # A JSON cell may be a list: SQLite stored the NUL in it, and PostgreSQL refused the
    # row with its own message (a fragment of the INSERT statement), naming no column.
    result = import_json(
        "outlet", [{"name": "Meridian Wire", "aliases": ["MW\x00"]}], dry_run=False
    )
    assert row_errors(result) == ["Row 1, aliases: Null characters are not allowed."]
    assert not Outlet.objects.filter(name="Meridian Wire").exists()
