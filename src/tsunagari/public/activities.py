"""Residents' page: upcoming local activities (the next 30 days), no sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from tsunagari.community.upcoming import DAYS_AHEAD, upcoming
from tsunagari.lib import clock
from tsunagari.public.services import PUBLIC_TOWNS
from tsunagari.public.texts import section
from tsunagari.public.views import _prefs, _render


@require_GET
def activities(request: HttpRequest) -> HttpResponse:
    variant = _prefs(request).variant
    town = request.GET.get("town", "")[:40]
    town = town if town in PUBLIC_TOWNS else ""
    days = upcoming(clock.today(), variant, town=town)
    return _render(request, "public/activities.html", {
        "at": section("upcoming_", variant), "days": days, "town": town, "towns": PUBLIC_TOWNS,
        "found": sum(len(d.items) for d in days), "days_ahead": DAYS_AHEAD,
    })  # fmt: skip
