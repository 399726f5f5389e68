"""An editor fixes the attributions of a 100-quotation essay on the attribution desk in a
real browser, then re-imports the file through the import page and finds every fix kept.

Actions per typical fix (a click, a typed name picked with Enter, a key): changing a
speaker is 3 (click its field, type the name and press Enter to pick it, press Enter to
save the row); ticking "checked" with it is 1 more click."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from essays.importer import save_import
from essays.importer.keeping import attribution_of
from essays.models import Quotation
from tests.factories import make_outlet, make_person, make_source
from tests.importer.conftest import parse_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def hundred_quotations() -> str:
    """An essay of 100 quotations in the styles imports meet: named people with outlets,
    described speakers, and bare quotations nobody is named for (low confidence)."""
    paragraphs = []
    for n in range(100):
        if n % 3 == 0:
            paragraphs.append(f"“Convoy {n} reached the valley at noon,” said Amal Haddad{n} "
                              "of The Guardian on Monday.")  # fmt: skip
        elif n % 3 == 1:
            paragraphs.append(f"One resident of district {n} said “the water came back on "
                              f"day {n}” and little else.")  # fmt: skip
        else:
            paragraphs.append(f"Posters in block {n} read “we counted {n} trucks” for a week.")
    body = "\n\n".join(paragraphs)
    return (
        f"Counting Convoys\n\nAn essay about convoys, counted by many people.\n\n{body}\n\n"
        "Published at https://counterpoint.example/essays/counting-convoys\n"
    )


def login(page, site, username, password):
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def pick(page, container, text):
    """Open an autocomplete in `container`, type `text`, pick the first match with Enter
    (pointing at a row starts its autocompletes)."""
    container.hover()
    container.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill(text)
    expect(page.locator(".select2-results__option").first).to_contain_text(text)
    page.keyboard.press("Enter")


def test_an_editor_fixes_attributions_on_the_desk_and_a_reimport_keeps_them(
    site, page, shipped_outlets, screenshot_dir
):
    text = hundred_quotations()
    editor = get_user_model().objects.create_superuser("desk-editor", password="desk-pw")
    essay = save_import(parsed=parse_text(text), actor=editor).essay
    quotations = list(Quotation.objects.filter(section__essay=essay).order_by("start"))
    assert len(quotations) == 100
    low = [q for q in quotations if q.confidence == "low"]
    Quotation.objects.filter(pk__in=[q.pk for q in quotations[2::3][:10]]).update(confidence="low")
    speaker = make_person(name="Rana Aziz")
    telegraph = make_outlet(name="The Telegraph (desk)")
    log = make_source(title="Convoy log, March")

    login(page, site, "desk-editor", "desk-pw")
    page.goto(f"{site}/admin/essays/essay/{essay.pk}/change/")
    page.get_by_role("link", name="open the attribution desk").click()
    expect(page.locator(".cp-desk-progress")).to_contain_text("Attributions checked: 0 / 100")
    page.locator(".cp-desk-row").first.hover()
    expect(page.locator(".cp-desk-row .select2-container").first).to_be_visible()
    page.screenshot(path=screenshot_dir / "attribution-desk-1400.png")

    # Low confidence only, then three of them get an outlet at once.
    page.get_by_role("link", name="Low confidence", exact=True).click()
    rows = page.locator(".cp-desk-row")
    expect(rows.first).to_be_visible()
    assert rows.count() == len({q.pk for q in low} | {q.pk for q in quotations[2::3][:10]})
    ticked = [int(rows.nth(i).get_attribute("id").removeprefix("row-")) for i in range(3)]
    for pk in ticked:
        page.locator(f"input[name=selected][value='{pk}']").check()
    pick(page, page.locator("#desk-bulk label").filter(has_text="Outlet"), "Telegraph (desk)")
    page.get_by_role("button", name="Set on ticked rows").click()
    expect(page.locator(".messagelist")).to_contain_text("on 3 quotations")
    assert set(Quotation.objects.filter(outlet=telegraph).values_list("pk", flat=True)) == set(
        ticked
    )

    # A speaker: click, type and pick, Enter saves the row (3 actions).
    page.goto(f"{site}/admin/essays/essay/{essay.pk}/attributions/")
    first = quotations[1]
    row = page.locator(f"#row-{first.pk}")
    pick(page, row.locator(".cp-desk-speaker"), "Rana Aziz")
    row.locator("input[name$='-speaker_description']").press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Saved the attribution")

    # A source and "checked" on another row.
    second = quotations[4]
    row = page.locator(f"#row-{second.pk}")
    pick(page, row.locator(".cp-desk-source"), "Convoy log")
    row.locator("input[name$='-checked']").check()
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#row-{second.pk}")).to_have_class(re.compile("is-checked"))
    expect(page.locator(".cp-desk-progress")).to_contain_text("Attributions checked: 1 / 100")
    page.screenshot(path=screenshot_dir / "attribution-desk-fixed-1400.png")

    fixes = sum(
        1
        for q in Quotation.objects.filter(section__essay=essay)
        for name, value in attribution_of(q).items()
        if q.imported.get(name, value) != value
    )
    assert fixes >= 5  # 3 outlets, a speaker, a source

    # The author's late edit arrives: the same file, re-imported through the import page.
    page.goto(f"{site}/admin/essays/essay/import/")
    page.locator("textarea[name=text]").fill(text.replace("little else", "nothing more"))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#import-update")).to_contain_text(f"kept {fixes} editor fixes")
    page.get_by_role("button", name="Update the essay").first.click()
    expect(page.locator(".messagelist")).to_contain_text(f"kept {fixes} editor fixes")

    kept = {q.pk: q for q in Quotation.objects.filter(section__essay=essay)}
    assert len(kept) == 100 and first.pk in kept and second.pk in kept
    assert kept[first.pk].speaker == speaker
    assert kept[second.pk].source == log and kept[second.pk].checked_at is not None
    assert all(kept[pk].outlet == telegraph for pk in ticked)
