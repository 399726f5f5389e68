"""Uploads are read row by row and refused at the first limit (issue 11, item 7).

A 429 kB XLSX of 3 M tiny rows used to take 137 s and 1.28 GB, and a 19.5 MB CSV over
1 GB, because the row limit was checked after the whole file had been parsed.
"""

import io
import tracemalloc

import openpyxl
import pytest
from django.core.cache import cache
from django.test import override_settings
from import_export.tmp_storages import CacheStorage

from spreadsheets.exchange import read_dataset
from spreadsheets.limits import ImportRefused
from tests.spreadsheets.test_admin import upload


def xlsx_of(rows: int, *, cell: str = "") -> bytes:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["name"])
    for n in range(rows):
        sheet.append([cell or f"Outlet {n}"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_of(rows: int) -> bytes:
    return b"name,kind\n" + b"".join(b"Outlet %d,news\n" % n for n in range(rows))


def peak_bytes_refusing(data: bytes, file_format: str) -> tuple[int, str]:
    tracemalloc.start()
    try:
        with pytest.raises(ImportRefused) as refused:
            read_dataset(data, file_format=file_format)
        return tracemalloc.get_traced_memory()[1], str(refused.value)
    finally:
        tracemalloc.stop()


@override_settings(COUNTERPOINT_IMPORT_MAX_ROWS=100)
@pytest.mark.parametrize("file_format, make", [("csv", csv_of), ("xlsx", xlsx_of)])
def test_a_file_over_the_row_limit_costs_no_more_than_its_first_rows(file_format, make):
    small, _ = peak_bytes_refusing(make(2_000), file_format)
    large, message = peak_bytes_refusing(make(40_000), file_format)
    assert "imports are limited to 100 rows at a time" in message
    # Twenty times the rows, about the same memory: reading stopped at the limit.
    assert large < 2 * small, (small, large)


@override_settings(COUNTERPOINT_IMPORT_MAX_ROWS=100)
def test_blank_rows_count_towards_what_is_read():
    data = b"name\nOnly one\n" + b",\n" * 5_000
    with pytest.raises(ImportRefused, match="over 1,000 rows \\(blank ones included\\)"):
        read_dataset(data, file_format="csv")
    dataset = read_dataset(b"name\nOnly one\n" + b",\n" * 50, file_format="csv")
    assert list(dataset) == [("Only one",)]


@override_settings(COUNTERPOINT_IMPORT_MAX_UNZIPPED_BYTES=100_000)
def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_opened():
    data = xlsx_of(3_000, cell="x")
    assert len(data) < 25_000  # small on the wire, large unpacked
    with pytest.raises(ImportRefused, match="unpacks to .*limited to 97.7\xa0KB unpacked"):
        read_dataset(data, file_format="xlsx")


@override_settings(COUNTERPOINT_IMPORT_MAX_CELLS=50)
def test_too_many_cells_are_refused():
    header = ",".join(f"c{n}" for n in range(30)).encode()
    with pytest.raises(ImportRefused, match="over 50 cells"):
        read_dataset(header + b"\n" + header + b"\n", file_format="csv")


def test_json_over_the_row_limit_is_refused_before_a_dataset_is_built(settings):
    settings.COUNTERPOINT_IMPORT_MAX_ROWS = 2
    with pytest.raises(ImportRefused, match="The file has 3 rows"):
        read_dataset(b'[{"name": "a"}, {"name": "b"}, {"name": "c"}]', file_format="json")


@pytest.mark.django_db
@override_settings(COUNTERPOINT_IMPORT_MAX_ROWS=2)
def test_a_refused_upload_is_dropped_at_once_and_a_previewed_one_is_kept(client, editor):
    client.force_login(editor)
    cache.clear()
    refused = upload(client, "outlet", b"name\nA\nB\nC\n")
    assert "The file has more than 2 rows" in refused.content.decode()
    assert not [k for k in cache._cache if CacheStorage.CACHE_PREFIX in str(k)]
    accepted = upload(client, "outlet", b"name\nA\n")
    assert accepted.context["confirm_form"] is not None
    assert [k for k in cache._cache if CacheStorage.CACHE_PREFIX in str(k)]
