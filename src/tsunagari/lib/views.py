"""Views shared by several apps' URL confs."""

from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

import plotly
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from tsunagari.accounts.policy import Action, require

# brotli comes with WeasyPrint (fontTools[woff]); without it the bundle goes out as gzip.
try:
    import brotli
except ImportError:  # pragma: no cover - depends on the installation
    brotli = None

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"

# The hashed URL changes whenever the bundle does, so browsers may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


def _stamp(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _content(stamp: tuple[str, int, int]) -> tuple[bytes, str]:
    raw = Path(stamp[0]).read_bytes()
    return raw, hashlib.sha256(raw).hexdigest()[:16]


@lru_cache(maxsize=8)
def _encoded(stamp: tuple[str, int, int], encoding: str) -> bytes:
    # Compressed once per process (gzip ~0.2 s, brotli ~0.5 s), then served from memory.
    raw, _ = _content(stamp)
    if encoding == "br" and brotli is not None:
        return bytes(brotli.compress(raw, quality=9))
    if encoding == "gzip":
        return gzip.compress(raw, compresslevel=9, mtime=0)
    return raw


def plotly_digest() -> str:
    """First 16 hex digits of the bundle's SHA-256: the part of its URL that changes
    with its content ("missing" when the plotly package lacks it)."""
    if not PLOTLY_JS.exists():
        return "missing"
    return _content(_stamp(PLOTLY_JS))[1]


def _weight(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return float(value)
            except ValueError:
                return 0.0
    return 1.0


def _accepted_encoding(request: HttpRequest) -> str:
    accepted = set()
    for part in request.headers.get("Accept-Encoding", "")[:500].split(","):
        name, _, params = part.partition(";")
        if _weight(params) > 0:  # "gzip;q=0" refuses gzip
            accepted.add(name.strip().lower())
    if "br" in accepted and brotli is not None:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return "identity"


@login_required
@require_GET
def plotly_js(request: HttpRequest, hashed: bool = False) -> HttpResponse:
    """The Plotly bundle shipped inside the plotly package, served from this site (no CDN).

    Only charts of aggregates use it, so it takes the right to see them. Pages
    link the hashed URL (``chart_library``), which browsers keep for a year;
    the older unhashed URLs still answer, revalidated by ETag. Sent with
    brotli or gzip when the browser accepts it (4.8 MB becomes about 1.2–1.5 MB).
    """
    require(request.user, Action.VIEW_AGGREGATES)
    if not PLOTLY_JS.exists():
        raise PermissionDenied(
            "plotly.min.js is missing from the plotly package: reinstall plotly."
        )
    stamp = _stamp(PLOTLY_JS)
    digest = _content(stamp)[1]
    encoding = _accepted_encoding(request)
    etag = f'"{digest}-{encoding}"'
    if etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(
            _encoded(stamp, encoding), content_type="text/javascript; charset=utf-8"
        )
        if encoding != "identity":
            response["Content-Encoding"] = encoding
        response["Content-Length"] = str(len(response.content))
    response["ETag"] = etag
    patch_vary_headers(response, ["Accept-Encoding"])
    if hashed:
        # The content is the public plotly.js library, no personal data:
        # SecurityHeadersMiddleware leaves an immutable response cacheable.
        response["Cache-Control"] = IMMUTABLE
    return response
