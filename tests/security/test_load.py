"""The load bench's smoke version: readers, editors saving the same claims and a publisher,
all at once for a few seconds; no errors and no lost updates, on SQLite and PostgreSQL.

`python bench/load_bench.py` runs the full version (gunicorn + wrk on PostgreSQL).
"""

import sys
from pathlib import Path

import pytest
from django.test import Client

from essays.models import Claim
from publishing import services
from review.roles import EDITOR
from tests.factories import make_user
from tests.publishing.builders import reviewed_essay

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load_bench import hammer  # noqa: E402


@pytest.mark.django_db(transaction=True)
def test_concurrent_editors_readers_and_a_publisher_lose_nothing_and_fail_nothing():
    publisher = make_user(superuser=True)
    editor = make_user(EDITOR)
    essay = reviewed_essay()
    services.essay_publish(essay=essay, actor=publisher, override_reason="load smoke test")
    claim_ids = list(
        Claim.objects.filter(section__essay=essay).order_by("pk").values_list("pk", flat=True)
    )[:2]
    url = f"/essays/{essay.slug}/"

    def read() -> int:
        return Client().get(url).status_code

    outcome = hammer(
        claim_ids=claim_ids,
        editor=editor,
        publisher=publisher,
        essay_id=essay.pk,
        seconds=3,
        editors=3,
        publishes=2,
        reader=read,
        readers=2,
    )
    print(
        f"load smoke: {outcome.reads} reads, {outcome.saves} saves, "
        f"{outcome.conflicts} conflicts retried, {outcome.publishes} republishes"
    )
    assert outcome.errors == []
    assert outcome.lost == []
    assert outcome.saves > 0 and outcome.reads > 0 and outcome.publishes == 2
