""" "Checked before": a paraphrase finds the reviewed claim it restates."""

import itertools
import json
import random
from pathlib import Path

import pytest

from search import index
from search.index import STAFF, Document
from search.similar import similar_reviewed

pytestmark = pytest.mark.django_db
FIXTURE = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "search" / "paraphrases.json").read_text()
)
PAIRS = FIXTURE["pairs"]


def distractors(count: int) -> list[str]:
    """Reviewed claims on the same subjects (same actors, places, years), none a match."""
    t = FIXTURE["distractor_templates"]
    fields = ["actor", "verb", "thing", "place", "year"]
    every = list(itertools.product(*(t[f] for f in fields)))
    chosen = random.Random(7).sample(every, count)
    return [
        t["patterns"][i % len(t["patterns"])].format(**dict(zip(fields, values, strict=True)))
        for i, values in enumerate(chosen)
    ]


@pytest.fixture
def reviewed_claims():
    """The originals in essay 1, 600 distractors spread over essays 2–21, one claim under
    review (no verdict) that words an original exactly."""
    docs = [Document(kind="claim", object_id=i, title=original, essay_id=1, verdict="false")
            for i, (original, _) in enumerate(PAIRS, start=1)]  # fmt: skip
    docs += [
        Document(kind="claim", object_id=1000 + i, title=text, essay_id=2 + i % 20,
                 verdict="supported")
        for i, text in enumerate(distractors(600))
    ]  # fmt: skip
    docs.append(Document(kind="claim", object_id=9999, title=PAIRS[0][0], essay_id=30))
    index.replace(STAFF, docs)


def test_paraphrases_find_the_claim_they_restate_in_the_top_three(reviewed_claims):
    misses = []
    for n, (_original, paraphrase) in enumerate(PAIRS, start=1):
        found = [s.claim_id for s in similar_reviewed(paraphrase, exclude_essay_id=50, limit=3)]
        if n not in found:
            misses.append((paraphrase, found))
    share = 1 - len(misses) / len(PAIRS)
    print(f"\nchecked before: {len(PAIRS) - len(misses)}/{len(PAIRS)} in the top 3 ({share:.0%})")
    assert share >= 0.9, misses


def test_only_reviewed_claims_of_other_essays_are_offered(reviewed_claims):
    found = similar_reviewed(PAIRS[0][0], exclude_essay_id=50)
    assert found[0].claim_id == 1 and found[0].verdict == "false"
    assert 9999 not in [s.claim_id for s in found]  # no approved verdict yet
    same_essay = similar_reviewed(PAIRS[0][0], exclude_essay_id=1)
    assert 1 not in [s.claim_id for s in same_essay]


def test_nothing_in_common_finds_nothing(reviewed_claims):
    assert similar_reviewed("Penguins waddle across Antarctic ice shelves.") == []
    assert similar_reviewed("the and of") == []
