"""Read-only directory API in the shape of the HSDS 3.0 API reference.

Public: the directory is what the ward publishes, so no sign-in is needed
(``auth=None``). Confidential services and places never appear, whoever
asks; staff see them on the signed-in pages only.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from tsunagari.resources.hsds import nest
from tsunagari.resources.models import (
    MODELS,
    HsdsModel,
    HsdsRecord,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from tsunagari.resources.services import SearchQuery, search_services
from tsunagari.resources.store import to_record

router = Router(tags=["hsds"])

MAX_PER_PAGE = 100
_LINK_COLUMNS = ("service_id", "location_id", "service_at_location_id", "link_id", "resource_id")


class Page(Schema):
    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[dict[str, Any]]


class ApiRoot(Schema):
    version: str
    profile: str
    openapi_url: str


class PageParams(Schema):
    page: int = 1
    per_page: int = 20


class ServiceFilters(PageParams):
    search: str = ""
    taxonomy_term_id: str = ""
    organization_id: str = ""
    town: str = ""
    kind: str = ""
    day: str = ""
    language: str = ""
    free: bool = False
    wheelchair: bool = False
    # Accessibility features a place must have checked "yes", comma-separated
    # (step_free, lift, accessible_toilet, hearing_loop, braille, seating,
    # parking, quiet_room).
    accessibility: str = ""


class Hidden:
    """Ids that must never leave through the public API."""

    def __init__(self) -> None:
        # Confidential places, and entries awaiting a second person's check.
        services = set(
            Service.objects.filter(Q(x_confidential=True) | Q(awaiting_check=True)).values_list(
                "id", flat=True
            )
        )
        locations = set(Location.objects.filter(x_confidential=True).values_list("id", flat=True))
        sals = set(
            ServiceAtLocation.objects.filter(
                Q(service_id__in=services) | Q(location_id__in=locations)
            ).values_list("id", flat=True)
        )
        self.ids = services | locations | sals

    def visible(self, row: dict[str, Any]) -> bool:
        return row.get("id") not in self.ids and not any(
            row.get(k) in self.ids for k in _LINK_COLUMNS
        )

    def public(self, row: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in row.items() if k != "x_confidential"}

    def children(self, table: str, link: str, rid: str) -> Iterable[dict[str, Any]]:
        model = MODELS.get(table)
        if model is None:
            rows = [
                r.data
                for r in HsdsRecord.objects.filter(table=table, **{f"data__{link}": rid}).order_by(
                    "record_id"
                )
            ]
        else:
            rows = [
                to_record(o) for o in model._default_manager.filter(**{link: rid}).order_by("id")
            ]
        return [self.public(r) for r in rows if self.visible(r)]

    def fetch(self, table: str, rid: str) -> dict[str, Any] | None:
        if rid in self.ids:
            return None
        model = MODELS.get(table)
        if model is None:
            found = HsdsRecord.objects.filter(table=table, record_id=rid).first()
            return found.data if found else None
        obj = model._default_manager.filter(id=rid).first()
        return self.public(to_record(obj)) if obj is not None else None

    def one(self, kind: str, model: type[HsdsModel], rid: str) -> dict[str, Any]:
        """One record with its public children nested; 404 when missing or confidential."""
        return nest(kind, _get(model, rid, self), self.children, self.fetch)


def _page(qs: QuerySet[Any], params: PageParams, shape: Any) -> dict[str, Any]:
    per_page = min(max(params.per_page, 1), MAX_PER_PAGE)
    total = qs.count()
    pages = max(math.ceil(total / per_page), 1)
    number = min(max(params.page, 1), pages)
    rows = list(qs[(number - 1) * per_page : number * per_page])
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": number,
        "size": len(rows),
        "first_page": number == 1,
        "last_page": number == pages,
        "empty": total == 0,
        "contents": [shape(r) for r in rows],
    }


def _get(model: type[HsdsModel], rid: str, hidden: Hidden) -> dict[str, Any]:
    obj = model._default_manager.filter(id=rid[:64]).first()
    if obj is None or obj.id in hidden.ids:
        raise Http404("Not found.")
    return hidden.public(to_record(obj))


@router.get("/", auth=None, response=ApiRoot, summary="HSDS API root")
def root(request: HttpRequest) -> dict[str, str]:
    return {
        "version": "3.0",
        "profile": request.build_absolute_uri("/public/hsds-profile/"),
        "openapi_url": request.build_absolute_uri("/api/openapi.json"),
    }


@router.get("/services", auth=None, response=Page, summary="Services (public)")
def list_services(request: HttpRequest, filters: Query[ServiceFilters]) -> dict[str, Any]:
    query = SearchQuery(
        text=filters.search[:200],
        kinds=tuple(k for k in filters.kind.split(",") if k),
        town=filters.town[:40],
        day=filters.day,
        free=filters.free,
        wheelchair=filters.wheelchair,
        features=tuple(f for f in filters.accessibility.split(",")[:8] if f),
        language=filters.language,
        organization_id=filters.organization_id[:64],
        taxonomy_term_id=filters.taxonomy_term_id[:64],
        public_only=False,
    )
    hidden = Hidden()
    qs = search_services(query).exclude(x_confidential=True).exclude(awaiting_check=True)
    orgs: dict[str, dict[str, Any]] = {}

    def shape(service: Service) -> dict[str, Any]:
        out = hidden.public(to_record(service))
        if service.organization_id:
            if service.organization_id not in orgs:
                org = hidden.fetch("organizations", service.organization_id)
                orgs[service.organization_id] = org or {}
            if orgs[service.organization_id]:
                out["organization"] = orgs[service.organization_id]
        return out

    return _page(qs, filters, shape)


@router.get(
    "/services/{service_id}",
    auth=None,
    response=dict[str, Any],
    summary="One service, fully nested",
)
def get_service(request: HttpRequest, service_id: str) -> dict[str, Any]:
    return Hidden().one("service", Service, service_id)


class OrganizationFilters(PageParams):
    search: str = ""


@router.get("/organizations", auth=None, response=Page, summary="Organizations (public)")
def list_organizations(request: HttpRequest, filters: Query[OrganizationFilters]) -> dict[str, Any]:
    hidden = Hidden()
    qs = Organization.objects.order_by("name", "id")
    for token in filters.search.split()[:8]:
        qs = qs.filter(Q(name__icontains=token) | Q(description__icontains=token))
    return _page(qs, filters, lambda o: hidden.public(to_record(o)))


@router.get(
    "/organizations/{organization_id}",
    auth=None,
    response=dict[str, Any],
    summary="One organization",
)
def get_organization(request: HttpRequest, organization_id: str) -> dict[str, Any]:
    return Hidden().one("organization", Organization, organization_id)


@router.get("/taxonomies", auth=None, response=Page, summary="Taxonomies")
def list_taxonomies(request: HttpRequest, params: Query[PageParams]) -> dict[str, Any]:
    return _page(Taxonomy.objects.order_by("name", "id"), params, to_record)


@router.get("/taxonomies/{taxonomy_id}", auth=None, response=dict[str, Any], summary="One taxonomy")
def get_taxonomy(request: HttpRequest, taxonomy_id: str) -> dict[str, Any]:
    return _get(Taxonomy, taxonomy_id, Hidden())


class TermFilters(PageParams):
    taxonomy_id: str = ""
    parent_id: str = ""
    top_only: bool = False
    search: str = ""


@router.get("/taxonomy_terms", auth=None, response=Page, summary="Taxonomy terms")
def list_taxonomy_terms(request: HttpRequest, filters: Query[TermFilters]) -> dict[str, Any]:
    qs = TaxonomyTerm.objects.order_by("name", "id")
    if filters.taxonomy_id:
        qs = qs.filter(taxonomy_id=filters.taxonomy_id)
    if filters.parent_id:
        qs = qs.filter(parent_id=filters.parent_id)
    if filters.top_only:
        qs = qs.filter(parent_id="")
    for token in filters.search.split()[:8]:
        qs = qs.filter(name__icontains=token)
    return _page(qs, filters, to_record)


@router.get(
    "/taxonomy_terms/{term_id}", auth=None, response=dict[str, Any], summary="One taxonomy term"
)
def get_taxonomy_term(request: HttpRequest, term_id: str) -> dict[str, Any]:
    return _get(TaxonomyTerm, term_id, Hidden())


class PlaceFilters(PageParams):
    town: str = ""
    service_id: str = ""
    location_id: str = ""


@router.get(
    "/service_at_locations", auth=None, response=Page, summary="Services at locations (public)"
)
def list_service_at_locations(request: HttpRequest, filters: Query[PlaceFilters]) -> dict[str, Any]:
    hidden = Hidden()
    qs = ServiceAtLocation.objects.exclude(id__in=hidden.ids).order_by("id")
    if filters.service_id:
        qs = qs.filter(service_id=filters.service_id[:64])
    if filters.location_id:
        qs = qs.filter(location_id=filters.location_id[:64])
    if filters.town:
        qs = qs.filter(
            location_id__in=Location.objects.filter(x_town=filters.town[:40]).values("id")
        )

    def shape(sal: ServiceAtLocation) -> dict[str, Any]:
        out = hidden.public(to_record(sal))
        for key, table, rid in (
            ("location", "locations", sal.location_id),
            ("service", "services", sal.service_id),
        ):
            linked = hidden.fetch(table, rid)
            if linked is not None:
                out[key] = linked
        return out

    return _page(qs, filters, shape)


@router.get(
    "/service_at_locations/{sal_id}",
    auth=None,
    response=dict[str, Any],
    summary="One service at a location",
)
def get_service_at_location(request: HttpRequest, sal_id: str) -> dict[str, Any]:
    hidden = Hidden()
    record = hidden.one("service_at_location", ServiceAtLocation, sal_id)
    service = hidden.fetch("services", str(record.get("service_id", "")))
    if service is not None:
        record["service"] = service
    return record
