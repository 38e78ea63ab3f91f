"""Views shared by several apps' URL confs."""

from __future__ import annotations

from pathlib import Path

import plotly
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from tsunagari.accounts.policy import Action, require

PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


@login_required
@require_GET
@cache_control(max_age=86400, private=True)
def plotly_js(request: HttpRequest) -> FileResponse:
    """The Plotly bundle shipped inside the plotly package, served from this site (no CDN).

    Only charts of aggregates use it, so it takes the right to see them.
    """
    require(request.user, Action.VIEW_AGGREGATES)
    if not PLOTLY_JS.exists():
        raise PermissionDenied(
            "plotly.min.js is missing from the plotly package: reinstall plotly."
        )
    return FileResponse(PLOTLY_JS.open("rb"), content_type="text/javascript; charset=utf-8")
