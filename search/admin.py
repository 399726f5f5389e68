"""Admin search through the index: changelist search boxes and the staff search page.

`IndexedSearch` replaces a ModelAdmin's `icontains` scan over `search_fields` with the
staff index: ranked (best first, unless the user sorts by a column), words matched by
their stems, the last word as a prefix while it is being typed, and on PostgreSQL names
spelled nearly alike (trigrams). The admin's autocomplete widgets search the same way.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.views.main import ORDER_VAR
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest
from django.template.response import TemplateResponse

from search import index
from search.index import STAFF
from search.query import parse
from search.registry import KINDS

RANKED_LIMIT = 500  # a changelist search shows at most this many rows, best first
NAME_KINDS = {"person", "outlet", "source"}


def staff_ids(kind: str, term: str, *, limit: int = RANKED_LIMIT) -> list[int]:
    results = index.search(
        STAFF,
        parse(term, prefix=True),
        kinds=[kind],
        names=kind in NAME_KINDS,
        limit=limit,
        snippets=False,
        count=False,
    )
    return [hit.object_id for hit in results.hits]


class IndexedSearch:
    search_kind: str  # the index kind of this admin's model (search.registry)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        ids = staff_ids(self.search_kind, search_term)
        if not ids:
            return queryset.none(), False
        rank = Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
                    output_field=IntegerField())  # fmt: skip
        found = queryset.filter(pk__in=ids)
        if ORDER_VAR in request.GET:  # the user sorts by a column: the changelist's order
            return found, False
        return found.annotate(search_rank=rank).order_by("search_rank"), False


KIND_LABELS = {
    "essay": "Essay",
    "claim": "Claim",
    "quotation": "Quotation",
    "source": "Source",
    "person": "Person",
    "outlet": "Outlet",
}
PAGE_SIZE = 50


def _viewable_kinds(user) -> list[str]:
    kinds = []
    for name in KIND_LABELS:
        meta = KINDS[name].model._meta
        if user.has_perm(f"{meta.app_label}.view_{meta.model_name}"):
            kinds.append(name)
    return kinds


def staff_search_view(request: HttpRequest) -> TemplateResponse:
    """/admin/search/: everything staff may view (drafts included), ranked, in one list."""
    term = " ".join(request.GET.get("q", "").split())[:200]
    allowed = _viewable_kinds(request.user)
    kind = request.GET.get("kind", "")
    kinds = [kind] if kind in allowed else allowed
    results = index.search(STAFF, term, kinds=kinds, limit=PAGE_SIZE) if kinds else None
    context = {
        **admin.site.each_context(request),
        "title": "Search everything",
        "term": term,
        "kind": kind if kind in allowed else "",
        "kinds": [(name, KIND_LABELS[name]) for name in allowed],
        "results": results,
        "rows": [(hit, KIND_LABELS[hit.kind]) for hit in results.hits] if results else [],
    }
    return TemplateResponse(request, "admin/search.html", context)
