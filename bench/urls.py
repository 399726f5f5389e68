"""The project's URLs plus the Django floor: a trivial view returning the article's bytes
from memory, behind the same middleware."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_FLOOR: list[bytes] = []


def floor(request):
    if not _FLOOR:  # read once per process, then served from memory
        _FLOOR.append(Path(os.environ["BENCH_FLOOR_FILE"]).read_bytes())
    response = HttpResponse(_FLOOR[0], content_type="text/html; charset=utf-8")
    response["Content-Encoding"] = "gzip"  # the same bytes the article page sends
    return response


urlpatterns = [path("bench/floor/", floor), *project_urlpatterns]
