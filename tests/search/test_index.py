"""The search service on whichever database the suite runs on (SQLite and PostgreSQL)."""

import pytest

from search import index
from search.index import PUBLIC, STAFF, Document
from search.models import Entry

pytestmark = pytest.mark.django_db


def docs(*titles, kind="claim", scope=PUBLIC, **fields):
    index.replace(
        scope,
        [Document(kind=kind, object_id=i, title=t, **fields) for i, t in enumerate(titles, 1)],
    )


def ids(results):
    return [hit.object_id for hit in results.hits]


def test_words_are_stemmed_and_all_required():
    docs("The CIA supplied TOW missiles to rebels", "Missiles were fired", "The CIA denied it")
    assert ids(index.search(PUBLIC, "missile supplies")) == [1]
    assert set(ids(index.search(PUBLIC, "missiles"))) == {1, 2}


def test_a_phrase_must_appear_as_written_and_a_minus_excludes():
    docs("Ahrar al-Sham took the town", "Sham elections in the town of Ahrar")
    assert ids(index.search(PUBLIC, '"Ahrar al-Sham"')) == [1]
    assert ids(index.search(PUBLIC, "town -elections")) == [1]


def test_title_outranks_body():
    index.replace(PUBLIC, [
        Document(kind="claim", object_id=1, title="Bread prices", body="Latakia port closed"),
        Document(kind="claim", object_id=2, title="Latakia port closed", body="Bread prices"),
    ])  # fmt: skip
    assert ids(index.search(PUBLIC, "Latakia port")) == [2, 1]


def test_scopes_never_mix():
    docs("Secret draft claim about tunnels", scope=STAFF)
    assert index.search(PUBLIC, "tunnels").total == 0
    assert index.search(STAFF, "tunnels").total == 1


def test_snippets_are_escaped_and_highlighted():
    body = "<script>alert(1)</script> the convoy arrived"
    index.replace(PUBLIC, [Document(kind="claim", object_id=1, title="x", body=body)])
    snippet = index.search(PUBLIC, "convoy").hits[0].snippet
    assert "<script" not in snippet
    assert "<mark>convoy</mark>" in snippet


def test_unicode_and_diacritics():
    docs("قال المتحدث إن الطريق مفتوح", "Le ministère a démenti")
    assert ids(index.search(PUBLIC, "الطريق")) == [1]
    assert ids(index.search(PUBLIC, "ministère")) == [2]


def test_filters_by_verdict_tag_and_essay():
    index.replace(PUBLIC, [
        Document(kind="claim", object_id=1, title="Convoy crossed", verdict="false",
                 tags=["ceasefires"], essay_id=10),
        Document(kind="claim", object_id=2, title="Convoy crossed again", verdict="supported",
                 tags=["valley"], essay_id=11),
    ])  # fmt: skip
    assert ids(index.search(PUBLIC, "convoy", verdict="false")) == [1]
    assert ids(index.search(PUBLIC, "convoy", tag="valley")) == [2]
    assert ids(index.search(PUBLIC, "convoy", exclude_essay_id=10)) == [2]


def test_replace_and_remove_keep_the_text_index_in_step():
    docs("Convoy crossed")
    index.replace(PUBLIC, [Document(kind="claim", object_id=1, title="Ferry sailed")],
                  kind="claim", object_ids=[1])  # fmt: skip
    assert index.search(PUBLIC, "convoy").total == 0
    assert ids(index.search(PUBLIC, "ferry")) == [1]
    index.remove(PUBLIC, "claim", [1])
    assert index.search(PUBLIC, "ferry").total == 0
    assert not Entry.objects.exists()


def test_pages_and_counts(django_assert_max_num_queries):
    docs(*[f"Convoy number {n}" for n in range(45)])
    with django_assert_max_num_queries(3):
        first = index.search(PUBLIC, "convoy", limit=20)
    assert first.total == 45 and len(first.hits) == 20
    last = index.search(PUBLIC, "convoy", offset=40, limit=20)
    assert len(last.hits) == 5
    assert not set(ids(first)) & set(ids(last))


def test_empty_and_hostile_queries_find_nothing_and_never_fail():
    docs("Convoy crossed")
    for text in ["", "   ", "the", '"', "'", "&|!", "-convoy", "NEAR(a b)", "a:* | b", "\x00"]:
        assert index.search(PUBLIC, text).total == 0, text


def test_prefix_search_finds_words_as_they_are_typed():
    docs("Latakia residents")
    assert index.search(STAFF, "Lata").total == 0
    docs("Latakia residents", scope=STAFF)
    assert ids(index.search(STAFF, index.parse("Lata", prefix=True))) == [1]
