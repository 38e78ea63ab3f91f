"""Residents' pages: no sign-in, no tracking, no external requests.

Display preferences (language, やさしい日本語, large text) come from the
query string of the switch links and are kept in cookies that hold nothing
but those preferences.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from tsunagari.public.display import card_titles, name_text
from tsunagari.public.services import (
    DAY_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    LINES,
    PUBLIC_TOWNS,
    TOPICS,
    WHO,
    PlaceFilters,
    access_of,
    navigate,
    public_entry,
    search_places,
)
from tsunagari.public.texts import VARIANTS, texts
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES, EXTENSIONS
from tsunagari.resources.models import GATHERING_KINDS, ResourceKind

EASY_COOKIE = "tsunagari_yasashii"
LARGE_COOKIE = "tsunagari_large_text"
_YEAR = 365 * 24 * 3600


@dataclass(frozen=True)
class Prefs:
    variant: str
    large: bool
    set_cookies: dict[str, str]


def _prefs(request: HttpRequest) -> Prefs:
    cookies: dict[str, str] = {}
    lang = request.GET.get("lang", "")
    if lang in ("ja", "en"):
        cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        translation.activate(lang)
        request.LANGUAGE_CODE = lang
    easy_param = request.GET.get("yasashii")
    if easy_param in ("0", "1"):
        cookies[EASY_COOKIE] = easy_param
        if easy_param == "1":
            cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
            translation.activate("ja")
            request.LANGUAGE_CODE = "ja"
    easy = (easy_param or request.COOKIES.get(EASY_COOKIE, "0")) == "1"
    large_param = request.GET.get("moji")
    if large_param in ("0", "1"):
        cookies[LARGE_COOKIE] = large_param
    large = (large_param or request.COOKIES.get(LARGE_COOKIE, "0")) == "1"
    current = translation.get_language() or "ja"
    variant = "en" if current.startswith("en") else ("easy" if easy else "ja")
    return Prefs(variant, large, cookies)


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    prefs = _prefs(request)
    index = VARIANTS.index(prefs.variant)
    context.update(
        {
            "t": texts(prefs.variant),
            "variant": prefs.variant,
            "html_lang": "en" if prefs.variant == "en" else "ja",
            "large": prefs.large,
            "style": prefs.variant,
            "kind_labels": {k: v[index] for k, v in KIND_LABELS.items()},
            "day_labels": [(k, v[index]) for k, v in DAY_LABELS.items()],
            "lines": [(line, line.name[index], line.hours[index]) for line in LINES],
        }
    )
    response = render(request, template, context, status=status)
    for name, value in prefs.set_cookies.items():
        response.set_cookie(name, value, max_age=_YEAR, samesite="Lax", httponly=True)
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return _render(request, "public/home.html", {})


@require_GET
def lines(request: HttpRequest) -> HttpResponse:
    return _render(request, "public/lines.html", {})


@require_GET
def navigator(request: HttpRequest) -> HttpResponse:
    topic = request.GET.get("topic", "")
    result = (
        navigate(request.GET.get("who", ""), topic, request.GET.get("town", "")) if topic else None
    )
    context = {
        "result": result,
        "who_options": WHO,
        "topic_options": TOPICS,
        "towns": PUBLIC_TOWNS,
        "chosen": {k: request.GET.get(k, "") for k in ("who", "topic", "town")},
    }
    return _render(request, "public/navigator.html", context)


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name) in ("1", "on", "true")


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    filters = PlaceFilters(
        town=request.GET.get("town", "")[:40],
        day=request.GET.get("day", "")[:2],
        kind=request.GET.get("kind", "")[:32],
        free=_flag(request, "free"),
        wheelchair=_flag(request, "wheelchair"),
        features=tuple(
            f for f in ACCESSIBILITY_FEATURES if f in request.GET.getlist("access")[:16]
        ),
        language=request.GET.get("language", "")[:8],
        text=request.GET.get("q", "")[:100],
    )
    page = Paginator(search_places(filters), 20).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: titles and cards
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filters": filters,
        "page": page,
        "titles": card_titles(page.object_list, _prefs(request).variant),
        "query": query.urlencode(),
        "towns": PUBLIC_TOWNS,
        "gathering_kinds": [k for k in KIND_LABELS if k in GATHERING_KINDS],
        "language_options": LANGUAGE_LABELS,
        "features": ACCESSIBILITY_FEATURES,
    }
    template = (
        "public/_places_results.html" if getattr(request, "htmx", False) else "public/places.html"
    )
    return _render(request, template, context)


@require_GET
def place(request: HttpRequest, service_id: str) -> HttpResponse:
    entry = public_entry(service_id)
    if entry is None:
        raise Http404("Not found.")
    variant = _prefs(request).variant
    return _render(
        request,
        "public/place.html",
        {
            "entry": entry,
            "title_text": name_text(entry.service, variant),
            "access": access_of(entry),
        },
    )


@require_GET
def hsds_profile(request: HttpRequest) -> JsonResponse:
    """The ward's HSDS profile: which extension fields its data carries."""
    return JsonResponse(
        {
            "name": "Tsunagari (Koto City) HSDS 3.0 profile",
            "base": "https://docs.openreferral.org/en/latest/hsds/",
            "hsds_version": "3.0",
            "extensions": EXTENSIONS,
            "x_kind_values": [str(k) for k in ResourceKind.values],
            "confidential": "Records marked x_confidential, and everything linked to them, are never published.",
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
