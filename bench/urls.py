"""The project's URLs plus the Django floor: a trivial view returning the article's bytes
from memory, behind the same middleware."""

import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns

_FLOOR: dict[str, bytes] = {}


def floor(request, encoding: str):
    """The stored page's bytes in `encoding` ("gzip" or "identity"), as the article sends."""
    if encoding not in _FLOOR:  # read once per process, then served from memory
        _FLOOR[encoding] = Path(os.environ["BENCH_FLOOR_FILE"] + f".{encoding}").read_bytes()
    response = HttpResponse(_FLOOR[encoding], content_type="text/html; charset=utf-8")
    if encoding == "gzip":
        response["Content-Encoding"] = "gzip"
    return response


urlpatterns = [path("bench/floor/<str:encoding>/", floor), *project_urlpatterns]
