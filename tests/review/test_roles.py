import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from review.roles import EDITOR, PUBLISHER, REVIEWER, ROLE_PERMISSIONS, sync_role_groups

pytestmark = pytest.mark.django_db


def _granted(role: str) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Group.objects.get(name=role).permissions.select_related("content_type")
    }


def test_migrate_creates_the_three_role_groups_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {EDITOR, REVIEWER, PUBLISHER}
    for role, wanted in ROLE_PERMISSIONS.items():
        assert _granted(role) == wanted


def test_syncing_roles_again_changes_nothing_and_repairs_drift():
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.clear()
    sync_role_groups(apps)
    sync_role_groups(apps)
    assert Group.objects.filter(name=EDITOR).count() == 1
    assert _granted(EDITOR) == ROLE_PERMISSIONS[EDITOR]


def test_only_publishers_may_publish_or_approve(editor, reviewer, publisher):
    for perm in (
        "essays.publish_essay",
        "essays.approve_verdict",
        "review.approve_counterevidence",
    ):
        assert publisher.has_perm(perm)
        assert not editor.has_perm(perm)
        assert not reviewer.has_perm(perm)
    assert reviewer.has_perm("review.add_counterevidence")
    assert not reviewer.has_perm("essays.change_essay")
    assert editor.has_perm("essays.change_essay")
