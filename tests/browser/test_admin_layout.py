"""The newsroom's lists fit a 1400 px screen beside the admin's menu and filters."""

import pytest
from django.contrib.auth import get_user_model

from demo.loader import load_demo
from essays.importer import save_import
from tests.importer.conftest import LONG, fixture_bytes, parse_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTS = [
    "/admin/essays/quotation/",
    "/admin/essays/claim/",
    "/admin/essays/claimcandidate/?decision__exact=pending",
    "/admin/review/approvalitem/",
    "/admin/sources/source/",
]


def test_the_lists_need_no_sideways_scrolling_at_1400_px(site, browser):
    load_demo()
    admin = get_user_model().objects.get(username="admin")
    save_import(parsed=parse_text(fixture_bytes(LONG).decode(), LONG), actor=admin)
    admin.set_password("layout-pw")
    admin.save()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{site}/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("layout-pw")
    page.get_by_role("button", name="Log in").click()
    for path in LISTS:
        page.goto(site + path)
        table, room = page.evaluate(
            """() => { const t = document.querySelector('#result_list');
                return [t.getBoundingClientRect().width,
                        t.parentElement.getBoundingClientRect().width]; }"""
        )
        assert table <= room + 1, f"{path}: the table is {table:.0f} px in {room:.0f} px"
    context.close()
