"""Backup and restore of the whole database with the commands docs/deploy.md gives."""

import pytest
from django.apps import apps
from django.core.management import call_command

from demo.loader import load_demo

# Exactly the flags docs/deploy.md documents. Primary keys are kept (claim permalinks carry
# them, and taggit's TaggedItem natural key is only its object_id, which would merge tags);
# content types and permissions are referred to by natural key, since ids differ per database.
DUMP_OPTIONS = {
    "natural_foreign": True,
    "exclude": ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"],
}


def fingerprint() -> dict[str, int | list]:
    """Row counts of every model of ours, plus the text readers and reviewers rely on."""
    from essays.models import Claim, Section
    from review.models import CounterEvidence, ReviewerNote, StatusChange

    counts: dict[str, int | list] = {
        model._meta.label: model._default_manager.count()
        for app in ("sources", "essays", "review", "publishing", "taggit", "auth")
        for model in apps.get_app_config(app).get_models()
        if not model._meta.proxy and model._meta.label != "auth.Permission"
    }
    counts["bodies"] = sorted(Section.objects.values_list("body", flat=True))
    counts["claims"] = sorted(Claim.objects.values_list("exact", "status", "verdict", "version"))
    counts["notes"] = sorted(
        ReviewerNote.objects.values_list("body", "resolved", "author__username")
    )
    counts["evidence"] = sorted(CounterEvidence.objects.values_list("summary", "approved"))
    counts["audit"] = sorted(
        StatusChange.objects.values_list("from_status", "to_status", "actor__username")
    )
    counts["groups"] = sorted(
        apps.get_model("auth", "Group").objects.values_list("name", "permissions__codename")
    )
    return counts


@pytest.mark.django_db(transaction=True)
def test_dump_flush_and_load_gives_back_the_same_database(tmp_path):
    load_demo()
    before = fingerprint()
    from essays.models import Claim

    before_ids = sorted(Claim.objects.values_list("pk", flat=True))
    backup = tmp_path / "counterpoint.json.gz"
    call_command("dumpdata", output=str(backup), verbosity=0, **DUMP_OPTIONS)
    call_command("flush", interactive=False, verbosity=0)
    assert fingerprint()["claims"] == []
    call_command("loaddata", str(backup), verbosity=0)
    assert fingerprint() == before
    from essays.models import Claim

    assert sorted(Claim.objects.values_list("pk", flat=True)) == before_ids
