"""Every admin page that renders a form, POSTed back by every role (issue 11, "Done when").

The URL matrix (test_permission_matrix.py) GETs every page and POSTs the forms it names.
This module POSTs to *every* admin page that shows a form: add, change, delete, history
records, password and import pages, and each changelist's actions. The body is the page's
own form as a superuser sees it (every field, inlines included), with a visible change:
text fields get a suffix, so a save that went through would show in the database.

The rule checked for each (page, role): the database changes only where Django's
permissions let the role write that kind of page (add, change, delete; history pages:
nobody); a refused POST leaves every row as it was. And for the superuser the change
pages must really write, so a body that could never be saved cannot hide a side door.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from tests.factories import admin_form_as_loaded
from tests.security.test_permission_matrix import (  # noqa: F401 (fixtures)
    ROLES,
    URLS,
    changed_models,
    concrete,
    database_state,
    in_rollback,
    placeholders,
    sessions,
    sign_in,
)

pytestmark = pytest.mark.django_db

_ADMIN_FORM = re.compile(
    r"^/admin/(?P<app>\w+)/(?P<model>\w+)/"
    r"(?:(?P<add>add/)|(?P<import>import/)|[^/]+/(?P<kind>change|delete|password)/"
    r"|[^/]+/history/(?P<history>[^/]+)/|(?P<changelist>))$"
)
SUFFIX = " (posted back)"


def form_pages(values: dict) -> list[tuple[str, re.Match]]:
    pages = []
    for request, *_ in URLS:
        method, path, _ = concrete(request, values)
        match = _ADMIN_FORM.match(path)
        if method == "GET" and match:
            pages.append((path, match))
    return pages


def page_kind(match: re.Match) -> str:
    for kind in ("add", "import", "history", "changelist"):
        if match.group(kind) is not None:
            return kind
    return match.group("kind")


def _changed(name: str, value: str) -> str:
    if name in ("slug", "username", "anchor"):
        return (value or "x") + "-posted"
    if name in ("exact", "prefix", "suffix", "body", "text", "password", "password1"):
        return value  # anchored text: changing it would only make the form invalid
    return (value + SUFFIX).strip()


def page_form(client, path: str, kind: str) -> dict:
    """The POST body: what the page's own form holds for a superuser, changed visibly."""
    response = client.get(path)
    if response.status_code != 200:
        return {}
    context = response.context
    if kind == "delete":
        return {"post": "yes"}
    if kind == "changelist":
        actions = context.get("action_form")
        rows = context["cl"].result_list if "cl" in context else []
        if actions is None or not rows:
            return {}
        choices = [value for value, _ in actions.fields["action"].choices if value]
        return {"action": choices, "_selected_action": [rows[0].pk], "index": "0"}
    return admin_form_as_loaded(context, include_disabled=True, edit_text=_changed)


def may_write(user, app: str, model: str, kind: str) -> bool:
    """What Django's permissions let `user` write from a page of this kind."""
    if isinstance(user, AnonymousUser) or kind in ("history", "import"):
        return False  # history shows old versions; an import POST is only a preview
    if user.is_superuser:
        return True
    perms = {p for p in user.get_all_permissions() if p.startswith(f"{app}.")}
    if kind == "changelist":  # actions: any write permission on the model
        return any(not p.startswith(f"{app}.view_") and p.endswith(f"_{model}") for p in perms)
    if kind == "password":
        return user.has_perm("auth.change_user")
    return f"{app}.{kind}_{model}" in perms


def post_outcomes(client, keys: dict, path: str, kind: str, data: dict):
    """For each role: (wrote?, status) of POSTing `data` (each changelist action alone)."""
    bodies = (
        [{**data, "action": action} for action in data["action"]]
        if kind == "changelist" and data
        else [data]
    )
    outcomes = {}
    for role in ROLES:
        sign_in(client, keys, role)
        for body in bodies:

            def attempt(body=body):
                before = database_state()
                response = client.post(path, body)
                return changed_models(before, database_state()), response.status_code

            outcomes[(role, body.get("action", ""))] = in_rollback(attempt)
    return outcomes


def test_every_admin_form_posted_back_writes_only_where_the_role_may(
    newsroom,
    sessions,  # noqa: F811 (the fixture imported above)
    placeholders,  # noqa: F811
    empty_page_cache,
):
    client, cases, forbidden_writes, superuser_misses, crashes = (
        Client(raise_request_exception=False),
        0,
        [],
        [],
        [],
    )
    for path, match in form_pages(placeholders):
        kind = page_kind(match)
        sign_in(client, sessions, "superuser")
        data = in_rollback(lambda path=path, kind=kind: page_form(client, path, kind))
        for (role, action), (wrote, status) in post_outcomes(
            client, sessions, path, kind, data
        ).items():
            cases += 1
            user = AnonymousUser() if role == "anonymous" else getattr(newsroom, role)
            if status >= 500:
                crashes.append(f"{role} POST {path} {action} → {status}")
            if wrote and not may_write(user, match["app"], match["model"], kind):
                forbidden_writes.append(f"{role} POST {path} {action} → {status}, {wrote}")
            watched = match["app"] not in ("auth", "axes")  # bookkeeping, not compared
            if role == "superuser" and kind == "change" and data and watched and not wrote:
                superuser_misses.append(f"POST {path} → {status}")
    print(f"\nPOST matrix: {cases} URL × role × method cases")
    assert not forbidden_writes, "\n".join(forbidden_writes)
    assert not crashes, "\n".join(crashes)
    assert not superuser_misses, "bodies that never save:\n" + "\n".join(superuser_misses)
    assert cases >= 5 * 60
