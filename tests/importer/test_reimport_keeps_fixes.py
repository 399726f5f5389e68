"""Re-importing an essay keeps every attribution field an editor changed since the last
import; fields nobody touched take the new parse; quotations keep their ids."""

import pytest

from essays.importer import save_import
from essays.importer.keeping import keep_editor_fixes
from essays.models import Quotation
from review.models import QuotationCheck
from sources.models import Outlet
from tests.factories import (
    make_outlet,
    make_person,
    make_quotation_check,
    make_source,
    make_user,
)
from tests.importer.conftest import parse_text

pytestmark = pytest.mark.django_db

TEXT = """Harbours

Intro paragraph that is long enough to be prose, and names nobody in particular.

“The port is open,” said Amal Haddad of The Guardian in May.

“We counted three hundred ships,” a port official told Reuters.

“Nothing moved after dark,” said one fisherman to The Guardian.

Published at https://counterpoint.example/essays/harbours
"""


def quotations(essay):
    return {q.text.rstrip(","): q for q in Quotation.objects.filter(section__essay=essay)}


def test_every_field_an_editor_fixed_survives_a_reimport_and_the_rest_follow_the_file(
    shipped_outlets,
):
    editor = make_user(superuser=True)
    essay = save_import(parsed=parse_text(TEXT), actor=editor).essay
    first = quotations(essay)
    port, ships, dark = (first[t] for t in ("The port is open", "We counted three hundred ships",
                                            "Nothing moved after dark"))  # fmt: skip
    make_quotation_check(port, status="verbatim")
    fixes = {
        "speaker": make_person(name="Amal Haddad-Saleh"),
        "speaker_description": "the harbour master",
        "outlet": make_outlet(name="Harbour Ledger Weekly"),
        "via": make_outlet(name="Wire Service"),
        "source": make_source(title="Harbour Ledger, 3 May"),
        "emphasis_added": True,
        "is_scare_quote": True,
    }
    for name, value in fixes.items():
        setattr(port, name, value)
    port.save()
    ships.outlet = make_outlet(name="Reuters (Gulf desk)")  # the file will change too
    ships.save()

    # The author's late edits: another outlet for the ships and for the dark quotation.
    edited = TEXT.replace("told Reuters", "told The Guardian").replace(
        "one fisherman to The Guardian", "one fisherman to Reuters"
    )
    result = save_import(parsed=parse_text(edited), actor=editor)

    again = quotations(essay)
    assert {q.pk for q in again.values()} == {port.pk, ships.pk, dark.pk}  # same rows
    kept = again["The port is open"]
    for name, value in fixes.items():
        assert getattr(kept, name) == value, name
    assert QuotationCheck.objects.filter(quotation=kept).exists()  # the check stays
    assert again["We counted three hundred ships"].outlet.name == "Reuters (Gulf desk)"
    assert again["Nothing moved after dark"].outlet == Outlet.objects.get(name="Reuters")
    assert result.fixes_kept == len(fixes) + 1
    assert result.conflicts == [
        "“We counted three hundred ships,”: outlet: the editor's change is kept; "
        "the new file has another"
    ]
    assert (result.quotations_updated, result.quotations_removed) == (3, 0)

    # A third import of the same file changes nothing an editor set.
    save_import(parsed=parse_text(edited), actor=editor)
    assert quotations(essay)["The port is open"].outlet == fixes["outlet"]


def test_quotations_the_file_no_longer_has_go_and_new_ones_come(shipped_outlets):
    editor = make_user(superuser=True)
    essay = save_import(parsed=parse_text(TEXT), actor=editor).essay
    edited = TEXT.replace("Nothing moved after dark", "Boats left before dawn")
    result = save_import(parsed=parse_text(edited), actor=editor)
    assert set(quotations(essay)) == {
        "The port is open", "We counted three hundred ships", "Boats left before dawn",
    }  # fmt: skip
    assert (result.quotations_updated, result.quotations_removed) == (2, 1)


def test_a_field_is_the_editors_when_it_differs_from_what_the_last_import_set():
    parsed = {"outlet_id": 2, "speaker_id": 5, "source_id": None}
    values, fixes, conflicts = keep_editor_fixes(
        current={"outlet_id": 9, "speaker_id": 5, "source_id": 4},
        imported_before={"outlet_id": 1, "speaker_id": 5, "source_id": None},
        parsed=parsed,
    )
    assert values == {"outlet_id": 9, "speaker_id": 5, "source_id": 4}
    assert fixes == ["outlet_id", "source_id"] and len(conflicts) == 1  # outlet: 1 → 2 vs 9
    # Imported before imports were recorded: only a source is known to be an editor's.
    values, fixes, _ = keep_editor_fixes(
        current={"outlet_id": 9, "speaker_id": 5, "source_id": 4}, imported_before={},
        parsed=parsed,
    )  # fmt: skip
    assert values == {"outlet_id": 2, "speaker_id": 5, "source_id": 4} and fixes == []


def test_the_preview_and_the_result_say_what_a_reimport_keeps(client, shipped_outlets):
    from django.urls import reverse

    editor = make_user(superuser=True)
    essay = save_import(parsed=parse_text(TEXT), actor=editor).essay
    port = quotations(essay)["The port is open"]
    port.outlet = make_outlet(name="Harbour Ledger Weekly")
    port.source = make_source(title="Harbour Ledger, 3 May")
    port.save()
    client.force_login(editor)
    edited = TEXT.replace("Nothing moved after dark", "Boats left before dawn")
    response = client.post(reverse("admin:essays_essay_import"), {"format": "auto", "text": edited})
    html = response.content.decode()
    kept = "2 kept (matched by their words; 0 with a changed attribution), 1 new, 1 removed"
    assert f"Quotations: {kept}" in html
    assert "kept 2 editor fixes" in html and "the new file disagrees" not in html

    # The author moves the ships quotation to another outlet, and the editor had fixed it.
    ships = quotations(essay)["We counted three hundred ships"]
    ships.outlet = make_outlet(name="Reuters (Gulf desk)")
    ships.save()
    moved = edited.replace("told Reuters", "told The Guardian")
    html = client.post(
        reverse("admin:essays_essay_import"), {"format": "auto", "text": moved}
    ).content.decode()
    assert "Where the new file disagrees with an editor's fix, the fix stays" in html
    assert "We counted three hundred ships,”: outlet: the editor&#x27;s change is kept" in html
    result = save_import(parsed=parse_text(edited), actor=editor)
    assert "Quotations: 2 kept, 1 new, 1 removed; kept 3 editor fixes." in result.summary()


def test_the_desk_shows_what_the_file_says_beside_a_kept_fix_and_takes_it_in_one_click(
    client, shipped_outlets
):
    from django.urls import reverse

    editor = make_user(superuser=True)
    essay = save_import(parsed=parse_text(TEXT), actor=editor).essay
    ships = quotations(essay)["We counted three hundred ships"]
    ships.outlet = make_outlet(name="Reuters (Gulf desk)")
    ships.save()
    save_import(parsed=parse_text(TEXT.replace("told Reuters", "told The Guardian")), actor=editor)
    client.force_login(editor)
    desk = reverse("admin:essays_essay_attributions", args=[essay.pk])
    html = client.get(desk).content.decode()
    assert "Outlet fixed by an editor; the file says" in html
    assert 'name="_take" value="outlet"' in html and ">The Guardian</button>" in html

    ships.refresh_from_db()
    data = {"_row": ships.pk, f"q{ships.pk}-version": ships.version, "_take": "outlet",
            f"q{ships.pk}-outlet": ships.outlet_id,
            f"q{ships.pk}-speaker_description": ships.speaker_description}  # fmt: skip
    assert client.post(desk, data).status_code == 302
    ships.refresh_from_db()
    assert ships.outlet.name == "The Guardian"
    assert "Outlet fixed by an editor" not in client.get(desk).content.decode()
