from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from tsunagari.lib.http import (
    MAX_NEXT_LENGTH,
    attempt,
    form_id,
    is_safe_local_url,
    safe_next,
    signed_in_staff,
)

DEFAULT = "/consultations/"

HOSTILE = [
    "//evil.example",
    "//evil.example/consultations/",
    "///evil.example",
    "https://evil.example",
    "http://evil.example/consultations/",
    "http://testserver/consultations/",  # our own host, but not a path: refused too
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/consultations/\\..\\",
    "/\tevil.example",
    "/\n/evil.example",
    "/\x00",
    " /consultations/",
    "evil.example",
    "consultations/",
    "/" + "a" * MAX_NEXT_LENGTH,
]

LOCAL = [
    "/consultations/3/#consent",
    "/consultations/?tab=mine",
    "/council/actions/",
    "/",
    "/" + "a" * (MAX_NEXT_LENGTH - 1),
]


@pytest.mark.parametrize("target", HOSTILE)
def test_it_refuses_a_next_that_leaves_the_site_or_hides_a_trick(target: str) -> None:
    # given a form posted with a hostile next
    request = RequestFactory().post("/consent/new/", {"next": target})
    # when / then
    assert safe_next(request, DEFAULT) == DEFAULT
    assert not is_safe_local_url(target, request)


@pytest.mark.parametrize("target", HOSTILE)
def test_it_refuses_a_hostile_next_in_the_query_string_too(target: str) -> None:
    request = RequestFactory().get("/consent/withdraw/1/", {"next": target})
    assert safe_next(request, DEFAULT) == DEFAULT


@pytest.mark.parametrize("target", LOCAL)
def test_it_goes_back_to_a_local_path(target: str) -> None:
    request = RequestFactory().post("/consent/new/", {"next": target})
    assert safe_next(request, DEFAULT) == target


def test_it_uses_the_default_when_there_is_no_next() -> None:
    assert safe_next(RequestFactory().post("/consent/new/", {}), DEFAULT) == DEFAULT
    assert safe_next(RequestFactory().get("/consent/new/"), DEFAULT) == DEFAULT
    assert safe_next(RequestFactory().post("/consent/new/", {"next": ""}), DEFAULT) == DEFAULT


def test_it_prefers_the_form_over_the_query_string() -> None:
    request = RequestFactory().post("/consent/new/?next=/people/", {"next": "/consultations/7/"})
    assert safe_next(request, DEFAULT) == "/consultations/7/"


def test_it_reads_another_field_and_keeps_to_a_part_of_the_site() -> None:
    # given a council form that sends back with "back"
    inside = RequestFactory().post("/council/actions/1/done/", {"back": "/council/meetings/2/"})
    outside = RequestFactory().post("/council/actions/1/done/", {"back": "/people/1/"})
    # when / then
    assert safe_next(inside, "/council/actions/", field="back", within="/council/") == (
        "/council/meetings/2/"
    )
    assert safe_next(outside, "/council/actions/", field="back", within="/council/") == (
        "/council/actions/"
    )


def test_it_gives_the_signed_in_staff_member(personas: dict[str, Any]) -> None:
    request = RequestFactory().get("/")
    request.user = personas["consultant.elderly"]
    assert signed_in_staff(request) is personas["consultant.elderly"]


def test_it_refuses_to_act_for_nobody() -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied, match="Sign in first"):
        signed_in_staff(request)


@pytest.mark.parametrize(
    ("typed", "number"),
    [("42", 42), (" 7 ", 7), (42, 42), ("0", None), ("-1", None), ("1.5", None), ("1e3", None),
     ("", None), (None, None), ("x", None), ("9" * 5000, None), (2**62, None), (2**62 - 1, 2**62 - 1),
     ("<script>", None)],
)  # fmt: skip
def test_it_reads_a_record_number_from_a_form_or_refuses_it(
    typed: object, number: int | None
) -> None:
    assert form_id(typed) == number


class Refused(Exception):
    pass


def _with_messages() -> Any:
    request = RequestFactory().post("/council/actions/1/done/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def test_it_tells_the_success_of_a_button_press() -> None:
    request = _with_messages()
    ran: list[bool] = []
    assert attempt(request, lambda: ran.append(True), refused=Refused, done="保存しました。")
    assert ran == [True]
    assert [m.message for m in get_messages(request)] == ["保存しました。"]


def test_it_tells_a_refusal_with_the_services_words() -> None:
    request = _with_messages()

    def refuse() -> None:
        raise Refused("<b>期限</b>を入力してください。")

    assert not attempt(
        request, refuse, refused=Refused, done="保存しました。", say=lambda e: f"!{e}"
    )
    assert [(m.message, m.level_tag) for m in get_messages(request)] == [
        ("!<b>期限</b>を入力してください。", "error")
    ]


def test_it_lets_a_bug_through() -> None:
    request = _with_messages()
    with pytest.raises(ZeroDivisionError):
        attempt(request, lambda: 1 / 0, refused=Refused, done="保存しました。")
    assert list(get_messages(request)) == []


def test_said_gives_what_to_fix_in_one_line_or_the_errors_text() -> None:
    from tsunagari.lib.errors import FieldErrors
    from tsunagari.lib.http import said

    refused = FieldErrors({"title": "件名を入力してください。", "on": "日付を入力してください。"})
    assert said(refused) == "件名を入力してください。 日付を入力してください。"
    assert said(ValueError("壊れています")) == "壊れています"
