"""People API: the same look-up, masking, policy and audit as the pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from tsunagari.accounts.policy import Action, require
from tsunagari.lib.http import signed_in_staff
from tsunagari.people.lookup import LookupLimited, interactive_lookup
from tsunagari.people.models import Person
from tsunagari.people.presenter import PersonView, Purpose, present_person
from tsunagari.people.services import (
    EditConflict,
    PersonError,
    PersonInput,
    create_person,
    update_person,
)

router = Router(tags=["people"])


class ContactOut(Schema):
    name: str
    phone: str


class PersonOut(Schema):
    id: int
    level: str
    name: str
    kana: str
    birth_date: date | None
    sex: str
    address: str
    phone: str
    resident_id: str
    sealed: bool
    contact_hidden: bool
    contacts: list[ContactOut]
    version: int
    sections: list[str] = Field(
        default_factory=list, description="The parts of the record this viewer may see."
    )


class MatchOut(Schema):
    """``score`` and ``reasons`` only for a person the caller's agency is
    entitled to see; otherwise null and empty (they would confirm a guess)."""

    person: PersonOut
    score: float | None
    reasons: list[str]


class SearchOut(Schema):
    matches: list[MatchOut]
    unread: list[str]


class PersonIn(Schema):
    name: str
    kana: str = ""
    birth_date: str = ""
    sex: str = ""
    address: str = ""
    phone: str = ""
    resident_id: str = ""
    sealed: bool = False


class PersonUpdateIn(PersonIn):
    version: int


class CreateOut(Schema):
    created: PersonOut | None
    duplicates: list[MatchOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, str] = Field(default_factory=dict)


def person_out(view: PersonView) -> dict[str, Any]:
    out = {k: v for k, v in view.__dict__.items() if k not in {"household", "bases", "provisional"}}
    return {**out, "contacts": [c.__dict__ for c in view.contacts],
            "sections": sorted(view.sections)}  # fmt: skip


@router.get("/search", response={200: SearchOut, 429: ErrorOut})
def search(request: HttpRequest, response: HttpResponse, q: str) -> Any:
    require(request.user, Action.VIEW_PERSONAL_DATA)
    try:
        result = interactive_lookup(request.user, q[:200], purpose="api search")
    except LookupLimited as exc:
        response["Retry-After"] = str(exc.retry_after)
        return Status(429, {"detail": exc.message, "errors": {}})
    return {
        "matches": [
            {"person": person_out(m.view), "score": m.score, "reasons": list(m.reasons)}
            for m in result.matches
        ],
        "unread": list(result.query.problems),
    }


@router.get("/{person_id}", response={200: PersonOut, 403: ErrorOut, 404: ErrorOut})
def get_person(request: HttpRequest, person_id: int) -> Any:
    require(request.user, Action.VIEW_PERSONAL_DATA)
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise HttpError(404, gettext("その番号の本人は登録されていません。"))
    view = present_person(request.user, person, Purpose.VIEW, request=request, detail={"api": True})
    if view.level != "full":
        return Status(
            403,
            {"detail": gettext("この方の情報を見る根拠があなたの機関にありません。"), "errors": {}},
        )
    return Status(200, person_out(view))


@router.post("", response={201: CreateOut, 200: CreateOut, 422: ErrorOut})
def create(request: HttpRequest, payload: PersonIn, confirm_new: bool = False) -> Any:
    staff = signed_in_staff(request)
    try:
        result = create_person(staff, PersonInput(**payload.dict()), confirm_new=confirm_new)
    except PersonError as exc:
        return Status(422, {"detail": gettext("入力を確認してください。"), "errors": exc.errors})
    duplicates = [
        {"person": person_out(m.view), "score": m.score, "reasons": list(m.reasons)}
        for m in result.duplicates
    ]
    if result.person is None:
        return Status(200, {"created": None, "duplicates": duplicates})
    view = present_person(staff, result.person, Purpose.VIEW, request=request, detail={"api": True})
    return Status(201, {"created": person_out(view), "duplicates": []})


@router.put("/{person_id}", response={200: PersonOut, 409: ErrorOut, 422: ErrorOut, 404: ErrorOut})
def update(request: HttpRequest, person_id: int, payload: PersonUpdateIn) -> Any:
    staff = signed_in_staff(request)
    if not Person.objects.filter(pk=person_id).exists():
        raise HttpError(404, gettext("その番号の本人は登録されていません。"))
    data = payload.dict()
    version = data.pop("version")
    try:
        person = update_person(staff, person_id, PersonInput(**data), expected_version=version)
    except PersonError as exc:
        return Status(422, {"detail": gettext("入力を確認してください。"), "errors": exc.errors})
    except EditConflict as exc:
        detail = gettext(
            "%(conflict)s 最新の版は %(version)s です。読み直してから保存してください。"
        ) % {
            "conflict": exc,
            "version": exc.current.version,
        }
        return Status(409, {"detail": detail, "errors": {}})
    view = present_person(staff, person, Purpose.VIEW, request=request, detail={"api": True})
    return Status(200, person_out(view))
