"""Reading and writing sheets in tests, and a snapshot of everything a sheet can change."""

import csv
import io
import json

import openpyxl
from django.urls import reverse
from import_export.results import RowResult
from taggit.models import Tag, TaggedItem

from essays.models import Claim, Quotation
from review.models import CounterEvidence
from sources.models import Outlet, Person, Source
from spreadsheets.exchange import export_bytes, import_bytes, resource_named

SHEET_MODELS = ["outlet", "person", "source", "quotation", "claim", "counterevidence"]
MODELS = {
    "outlet": Outlet,
    "person": Person,
    "source": Source,
    "quotation": Quotation,
    "claim": Claim,
    "counterevidence": CounterEvidence,
}
FORMATS = ["csv", "xlsx", "json"]


def admin_url(model: str, view: str) -> str:
    """The admin page `view` ("import", "export", "changelist"…) of a sheet's model."""
    opts = MODELS[model]._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")


def totals(result) -> tuple[int, int, int]:
    """(new, updated, skipped) rows of an import result."""
    t = result.totals
    return (
        t[RowResult.IMPORT_TYPE_NEW],
        t[RowResult.IMPORT_TYPE_UPDATE],
        t[RowResult.IMPORT_TYPE_SKIP],
    )


def snapshot() -> dict:
    """Every stored value of every model a sheet touches, m2m links included."""
    rows: dict = {}
    for model in (Outlet, Person, Source, Quotation, Claim, CounterEvidence, Tag):
        fields = model._meta.concrete_fields
        rows[model.__name__] = [
            tuple(getattr(obj, f.attname) for f in fields) for obj in model.objects.order_by("pk")
        ]
    rows["authors"] = sorted(Source.authors.through.objects.values_list("source_id", "person_id"))
    rows["tags"] = sorted(TaggedItem.objects.values_list("object_id", "tag_id", "content_type_id"))
    return rows


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def csv_bytes(rows: list[dict], headers: list[str] | None = None) -> bytes:
    headers = headers or list(dict.fromkeys(key for row in rows for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    """A workbook whose first sheet holds `rows` (the header row first) as written."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def export(model: str, file_format: str = "csv") -> bytes:
    return export_bytes(resource_named(model), file_format=file_format)


def import_csv(model: str, rows: list[dict], *, dry_run: bool = False, user=None, headers=None):
    return import_bytes(
        resource_named(model),
        data=csv_bytes(rows, headers),
        file_format="csv",
        dry_run=dry_run,
        user=user,
    )


def import_json(model: str, rows: list[dict], **kwargs):
    return import_bytes(
        resource_named(model), data=json.dumps(rows).encode(), file_format="json", **kwargs
    )
