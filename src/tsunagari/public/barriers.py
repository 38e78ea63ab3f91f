"""Residents' pages for barriers (7-1): report one without signing in, then
look up its status by the reference. The page shows the status and the
ward's public answer only, never the contact or the staff's notes."""

from __future__ import annotations

from itertools import groupby

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from tsunagari.barriers.services import (
    BarrierError,
    look_up,
    normalise_reference,
    public_places,
    report_barrier,
)
from tsunagari.public.services import PUBLIC_TOWNS
from tsunagari.public.texts import texts
from tsunagari.public.views import _prefs, _render

# Bigger bodies are refused before they are read (Django's own limit is 2.5 MB).
MAX_BODY = 20_000


def _place_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    rows = public_places().values_list("x_town", "id", "name")
    return [
        (town or "—", [(lid, name) for _t, lid, name in group])
        for town, group in groupby(rows, key=lambda r: r[0])
    ]


def _sender(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR") or "unknown")


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    variant = _prefs(request).variant
    t = texts(variant)
    errors: dict[str, str] = {}
    values = {
        "where": request.GET.get("where", ""),
        "location_id": request.GET.get("place", "")[:64],
        "town": "",
        "description": "",
        "contact": "",
    }
    if values["location_id"] and not values["where"]:
        values["where"] = "place"
    status = 200
    if request.method == "POST":
        if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY:
            errors = {"description": t["err_description_long"]}
            return _render(
                request, "public/barrier_report.html", _context(values, errors), status=413
            )
        values = {
            k: request.POST.get(k, "")[: 4000 if k == "description" else 200]
            for k in ("where", "location_id", "town", "description", "contact")
        }
        if request.POST.get("website"):  # the honeypot: people leave it empty
            errors = {"form": t["err_trap"]}
            status = 400
        else:
            try:
                made = report_barrier(
                    where=values["where"],
                    description=values["description"],
                    town=values["town"],
                    location_id=values["location_id"],
                    contact=values["contact"],
                    sender=_sender(request),
                )
            except BarrierError as exc:
                errors = {field: t[f"err_{code}"] for field, code in exc.codes.items() if code}
                errors |= {f: m for f, m in exc.errors.items() if f not in errors}
                status = 429 if exc.codes.get("form") == "rate" else 400
            else:
                url = reverse("public:barrier_status")
                return redirect(f"{url}?ref={made.reference}&new=1")
    return _render(request, "public/barrier_report.html", _context(values, errors), status=status)


def _context(values: dict[str, str], errors: dict[str, str]) -> dict[str, object]:
    return {
        "values": values,
        "errors": errors,
        "place_groups": _place_groups(),
        "towns": PUBLIC_TOWNS,
    }


@require_GET
def status(request: HttpRequest) -> HttpResponse:
    ref = normalise_reference(request.GET.get("ref", ""))
    found = look_up(ref) if ref else None
    return _render(
        request,
        "public/barrier_status.html",
        {
            "ref": ref,
            "found": found,
            "asked": bool(ref),
            "new": request.GET.get("new") == "1" and found is not None,
        },
        status=404 if ref and found is None else 200,
    )
