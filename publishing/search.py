"""Public search: what readers may find, from the public index (published revisions only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict

from publishing.structured_data import BY_VERDICT, verdict_label
from search import index
from search.index import PUBLIC, Results

PAGE_SIZE = 20
MAX_PAGE = 50  # deeper pages are refused: no reader pages past a thousand results
MAX_QUERY = 200
KINDS = {"essay": "Essays", "claim": "Claims", "source": "Sources"}


@dataclass(frozen=True)
class SearchForm:
    """The query string, read leniently: an unknown filter is dropped, not an error."""

    q: str = ""
    kind: str = ""
    verdict: str = ""
    tag: str = ""
    page: int = 1

    @classmethod
    def from_query(cls, params: QueryDict) -> SearchForm:
        def one(name: str) -> str:
            return " ".join(params.get(name, "").split())[:MAX_QUERY]

        verdict = one("verdict") if one("verdict") in BY_VERDICT else ""
        kind = one("kind") if one("kind") in KINDS else ""
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        return cls(one("q"), "claim" if verdict else kind, verdict, one("tag")[:100], page)

    @property
    def key(self) -> str:
        return f"{self.q}\x1f{self.kind}\x1f{self.verdict}\x1f{self.tag}\x1f{self.page}"


def public_search(form: SearchForm, *, page_size: int = PAGE_SIZE) -> Results:
    return index.search(
        PUBLIC,
        form.q,
        kinds=[form.kind] if form.kind else None,
        verdict=form.verdict or None,
        tag=form.tag or None,
        offset=(min(form.page, MAX_PAGE) - 1) * page_size,
        limit=page_size,
    )


def verdict_choices() -> list[tuple[str, str]]:
    return [(verdict, verdict_label(verdict)) for verdict in BY_VERDICT]
