"""API tokens: the service (issue, list, revoke, check), the ``token``
command, the administrators' page and the API's bearer authentication."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from tsunagari.accounts import tokens
from tsunagari.accounts.models import ApiToken, Staff, TokenState
from tsunagari.audit.models import AuditAction, AuditEvent

HOSTILE_IDS = ["abc", "-1", "0", "1.5", "9" * 40, str(2**63), "１２", "1; DROP TABLE x", " "]


def _bearer(secret: str) -> Any:
    return Client().get("/api/agencies", HTTP_AUTHORIZATION=f"Bearer {secret}")


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("token", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# --- the service -------------------------------------------------------------


def test_it_issues_a_token_with_the_default_lifetime(
    personas: dict[str, Staff], settings: Any
) -> None:
    # given a ward that keeps tokens 30 days
    settings.API_TOKEN_DAYS = 30
    # when the administrator issues one without a lifetime
    issued = tokens.issue_token(personas["admin"], "planner", "集計システム")
    # then it expires in 30 days and the secret works
    left = issued.token.expires - timezone.now()
    assert timedelta(days=29, hours=23) < left <= timedelta(days=30)
    assert issued.secret.startswith("tsg_")
    assert _bearer(issued.secret).status_code == 200


def test_it_never_stores_or_audits_the_secret(personas: dict[str, Staff]) -> None:
    # when a token is issued
    issued = tokens.issue_token(personas["admin"], "planner", "集計", days=7)
    # then only its digest is kept, and the audit event names it without the secret
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert issued.secret not in (row.digest, row.prefix)
    event = AuditEvent.objects.filter(
        object_type="accounts.apitoken", action=AuditAction.CREATE
    ).get()
    assert event.actor_username == "admin"
    assert event.detail["owner"] == "planner"
    assert issued.secret not in str(event.detail)
    assert row.digest not in str(event.detail)


@pytest.mark.parametrize("days", [0, -5, tokens.MAX_DAYS + 1, 10**9])
def test_it_refuses_a_lifetime_out_of_range(personas: dict[str, Staff], days: int) -> None:
    with pytest.raises(tokens.TokenError, match=str(tokens.MAX_DAYS)):
        tokens.issue_token(personas["admin"], "planner", "x", days=days)
    assert not ApiToken.objects.exists()


def test_it_refuses_a_default_lifetime_over_the_maximum(
    personas: dict[str, Staff], settings: Any
) -> None:
    settings.API_TOKEN_DAYS = 5000
    with pytest.raises(tokens.TokenError, match="API_TOKEN_DAYS"):
        tokens.issue_token(personas["admin"], "planner", "x")


@pytest.mark.parametrize(
    ("name", "problem"),
    [("", "用途"), ("   ", "用途"), ("x" * 101, "100"), ("a\nb", "改行"), ("a\x00b", "制御")],
)
def test_it_names_what_is_wrong_with_the_purpose(
    personas: dict[str, Staff], name: str, problem: str
) -> None:
    with pytest.raises(tokens.TokenError, match=problem):
        tokens.issue_token(personas["admin"], "planner", name, days=1)


@pytest.mark.parametrize("username", ["nobody", "", "x" * 5000, "admin\x00"])
def test_it_names_an_unknown_staff_member(personas: dict[str, Staff], username: str) -> None:
    with pytest.raises(tokens.TokenError):
        tokens.issue_token(personas["admin"], username, "x", days=1)
    with pytest.raises(tokens.TokenError):
        tokens.revoke_all_tokens(personas["admin"], username)
    assert not ApiToken.objects.exists()


def test_it_does_not_issue_to_an_inactive_account(personas: dict[str, Staff]) -> None:
    Staff.objects.filter(username="planner").update(is_active=False)
    with pytest.raises(tokens.TokenError, match="無効"):
        tokens.issue_token(personas["admin"], "planner", "x", days=1)


def test_it_lists_every_state_without_secrets(personas: dict[str, Staff]) -> None:
    # given an active, an expired, a revoked token and one of an inactive member
    active = tokens.issue_token(None, "planner", "active", days=5)
    expired = tokens.issue_token(None, "planner", "expired", days=5)
    ApiToken.objects.filter(pk=expired.token.pk).update(expires=timezone.now())
    revoked = tokens.issue_token(None, "planner", "revoked", days=5)
    tokens.revoke_token(personas["admin"], revoked.token.pk)
    leaver = tokens.issue_token(None, "community", "leaver", days=5)
    Staff.objects.filter(username="community").update(is_active=False)
    # when the administrator lists them
    rows = {r.name: r for r in tokens.list_tokens(personas["admin"])}
    # then each shows its state, and revocation says who
    assert rows["active"].state == TokenState.ACTIVE
    assert rows["expired"].state == TokenState.EXPIRED
    assert rows["revoked"].state == TokenState.REVOKED
    assert rows["revoked"].revoked_by == "admin"
    assert rows["leaver"].state == TokenState.OWNER_INACTIVE
    listed = str(list(rows.values()))
    for issued in (active, expired, revoked, leaver):
        assert issued.secret not in listed
        assert issued.token.digest not in listed


def test_it_lists_one_staff_members_tokens(personas: dict[str, Staff]) -> None:
    tokens.issue_token(None, "planner", "mine", days=5)
    tokens.issue_token(None, "admin", "theirs", days=5)
    rows = tokens.list_tokens(personas["admin"], username="planner")
    assert [r.name for r in rows] == ["mine"]
    with pytest.raises(tokens.TokenError, match="nobody"):
        tokens.list_tokens(personas["admin"], username="nobody")


def test_it_revokes_a_token_and_records_who_and_when(personas: dict[str, Staff]) -> None:
    # given an active token
    issued = tokens.issue_token(None, "planner", "集計", days=5)
    # when the administrator revokes it
    tokens.revoke_token(personas["admin"], str(issued.token.pk))
    # then it is revoked by them, audited, and no longer authenticates
    row = ApiToken.objects.get(pk=issued.token.pk)
    assert row.revoked is not None
    assert row.revoked_by == personas["admin"]
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(row.pk)).get()
    assert event.actor_username == "admin"
    assert event.detail["owner"] == "planner"
    assert _bearer(issued.secret).status_code == 401


def test_it_says_a_token_is_already_revoked(personas: dict[str, Staff]) -> None:
    issued = tokens.issue_token(None, "planner", "x", days=5)
    tokens.revoke_token(None, issued.token.pk)
    with pytest.raises(tokens.TokenError, match="失効済み"):
        tokens.revoke_token(personas["admin"], issued.token.pk)


@pytest.mark.parametrize("token_id", [*HOSTILE_IDS, "999999"])
def test_it_names_an_unknown_or_malformed_token_id(
    personas: dict[str, Staff], token_id: str
) -> None:
    issued = tokens.issue_token(None, "planner", "x", days=5)
    with pytest.raises(tokens.TokenError, match="番号"):
        tokens.revoke_token(personas["admin"], token_id)
    assert ApiToken.objects.get(pk=issued.token.pk).revoked is None


def test_it_revokes_all_tokens_of_one_member_only(personas: dict[str, Staff]) -> None:
    # given two tokens of the planner (one already revoked) and one of the admin
    first = tokens.issue_token(None, "planner", "a", days=5)
    old = tokens.issue_token(None, "planner", "b", days=5)
    tokens.revoke_token(None, old.token.pk)
    other = tokens.issue_token(None, "admin", "c", days=5)
    # when all the planner's tokens are revoked
    revoked = tokens.revoke_all_tokens(personas["admin"], "planner")
    # then only the one still active is revoked now, and the admin's stays
    assert [t.pk for t in revoked] == [first.token.pk]
    assert ApiToken.objects.get(pk=other.token.pk).revoked is None
    assert tokens.revoke_all_tokens(personas["admin"], "planner") == []


@pytest.mark.parametrize("who", ["supervisor.elderly", "consultant.toyosu", "outsider"])
def test_it_refuses_the_token_actions_to_non_administrators(
    personas: dict[str, Staff], who: str
) -> None:
    issued = tokens.issue_token(None, "planner", "x", days=5)
    actor = personas[who]
    with pytest.raises(PermissionDenied):
        tokens.issue_token(actor, who, "mine", days=5)
    with pytest.raises(PermissionDenied):
        tokens.list_tokens(actor)
    with pytest.raises(PermissionDenied):
        tokens.revoke_token(actor, issued.token.pk)
    with pytest.raises(PermissionDenied):
        tokens.revoke_all_tokens(actor, "planner")
    assert ApiToken.objects.get().revoked is None


# --- bearer authentication ------------------------------------------------------


@pytest.mark.parametrize(
    ("make_unusable", "reason"),
    [
        (lambda t: ApiToken.objects.filter(pk=t.pk).update(expires=timezone.now()), "有効期限"),
        (lambda t: tokens.revoke_token(None, t.pk), "失効"),
        (lambda t: Staff.objects.filter(pk=t.staff_id).update(is_active=False), "無効"),
    ],
    ids=["expired", "revoked", "inactive owner"],
)
def test_it_refuses_an_unusable_token_with_the_reason(
    personas: dict[str, Staff], make_unusable: Callable[[ApiToken], object], reason: str
) -> None:
    # given a token that worked
    issued = tokens.issue_token(None, "planner", "x", days=5)
    assert _bearer(issued.secret).status_code == 200
    # when it expires, is revoked or its owner leaves
    make_unusable(issued.token)
    # then the API answers 401 and says why
    response = _bearer(issued.secret)
    assert response.status_code == 401
    assert reason in response.json()["detail"]


@pytest.mark.parametrize("secret", ["tsg_forged", "x" * 5000, "tsg_\u202e", "%00"])
def test_it_refuses_forged_tokens(db: None, secret: str) -> None:
    response = _bearer(secret)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_it_records_the_last_use_at_most_hourly(personas: dict[str, Staff]) -> None:
    # given a fresh token
    issued = tokens.issue_token(None, "planner", "x", days=5)
    # when it is used, then its last use is recorded
    _bearer(issued.secret)
    first = ApiToken.objects.get(pk=issued.token.pk).last_used
    assert first is not None
    # when it is used again within the hour, nothing is written
    _bearer(issued.secret)
    assert ApiToken.objects.get(pk=issued.token.pk).last_used == first
    # when it is used after more than an hour, the time moves on
    earlier = timezone.now() - timedelta(hours=2)
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used=earlier)
    _bearer(issued.secret)
    assert ApiToken.objects.get(pk=issued.token.pk).last_used > earlier  # type: ignore[operator]


# --- the command -----------------------------------------------------------------


def test_it_issues_from_the_command_and_prints_the_secret_once(
    personas: dict[str, Staff],
) -> None:
    out, err = _run("issue", "planner", "--name", "集計", "--days", "10")
    secret = out.strip()
    assert _bearer(secret).status_code == 200
    assert secret not in err
    token = ApiToken.objects.get()
    assert str(token.pk) in err
    assert timedelta(days=9) < token.expires - timezone.now() <= timedelta(days=10)


@pytest.mark.parametrize(
    "args",
    [
        ("issue", "nobody"),
        ("issue", "planner", "--days", "0"),
        ("issue", "planner", "--days", "367"),
        ("issue", "planner", "--name", ""),
        ("issue", "x" * 5000),
    ],
)
def test_it_explains_a_bad_issue_command(personas: dict[str, Staff], args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert str(exc.value)
    assert not ApiToken.objects.exists()


def test_it_lists_tokens_on_the_command_line_without_secrets(personas: dict[str, Staff]) -> None:
    kept = tokens.issue_token(None, "planner", "集計", days=5)
    gone = tokens.issue_token(None, "admin", "古い連携", days=5)
    tokens.revoke_token(personas["admin"], gone.token.pk)
    out, _err = _run("list")
    assert "planner" in out and "集計" in out and "active" in out
    assert "revoked" in out and "by admin" in out
    for issued in (kept, gone):
        assert issued.secret not in out
        assert issued.token.digest not in out
    only, _err = _run("list", "--user", "planner")
    assert "集計" in only and "古い連携" not in only
    with pytest.raises(CommandError, match="nobody"):
        _run("list", "--user", "nobody")


def test_it_says_when_there_are_no_tokens(personas: dict[str, Staff]) -> None:
    out, _err = _run("list")
    assert "no tokens" in out


def test_it_revokes_from_the_command_line(personas: dict[str, Staff]) -> None:
    issued = tokens.issue_token(None, "planner", "x", days=5)
    out, _err = _run("revoke", str(issued.token.pk))
    assert f"revoked token {issued.token.pk}" in out
    row = ApiToken.objects.get()
    assert row.revoked is not None and row.revoked_by is None
    event = AuditEvent.objects.filter(action=AuditAction.UPDATE).get()
    assert event.detail["via"] == "command"
    listed, _err = _run("list")
    assert "command line" in listed or "コマンド" in listed


def test_it_revokes_all_of_a_members_tokens_from_the_command_line(
    personas: dict[str, Staff],
) -> None:
    tokens.issue_token(None, "planner", "a", days=5)
    tokens.issue_token(None, "planner", "b", days=5)
    out, _err = _run("revoke", "--user", "planner", "--all")
    assert "revoked 2 token(s) of planner" in out
    assert not ApiToken.objects.filter(revoked__isnull=True).exists()
    again, _err = _run("revoke", "--user", "planner", "--all")
    assert "no token left" in again


@pytest.mark.parametrize(
    "args",
    [
        ("revoke",),
        ("revoke", "--all"),
        ("revoke", "1", "--user", "planner", "--all"),
        ("revoke", "1", "--user", "planner"),
        ("revoke", "--user", "nobody", "--all"),
        *[("revoke", bad) for bad in HOSTILE_IDS],
        ("revoke", "424242"),
    ],
)
def test_it_explains_a_bad_revoke_command(
    personas: dict[str, Staff], args: tuple[str, ...]
) -> None:
    tokens.issue_token(None, "planner", "x", days=5)
    with pytest.raises(CommandError) as exc:
        _run(*args)
    assert str(exc.value)
    assert ApiToken.objects.get().revoked is None


# --- the administrators' page -----------------------------------------------------


def test_it_shows_the_administrator_every_token(
    client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    issued = tokens.issue_token(None, "consultant.toyosu", "見守り連携", days=5)
    response = client_for("admin").get("/staff/tokens/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "consultant.toyosu" in body and "見守り連携" in body
    assert issued.token.prefix in body
    assert issued.secret not in body and issued.token.digest not in body
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="accounts.apitoken", actor_username="admin"
    ).exists()


def test_it_links_the_token_page_from_the_administrators_home(
    client_for: Callable[[str], Client],
) -> None:
    assert "/staff/tokens/" in client_for("admin").get("/").content.decode()
    assert "/staff/tokens/" not in client_for("supervisor.elderly").get("/").content.decode()


def test_it_revokes_from_the_page(
    client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    issued = tokens.issue_token(None, "planner", "集計", days=5)
    response = client_for("admin").post(f"/staff/tokens/{issued.token.pk}/revoke/", follow=True)
    assert response.status_code == 200
    assert "失効させました" in response.content.decode()
    row = ApiToken.objects.get()
    assert row.revoked is not None and row.revoked_by == personas["admin"]


def test_it_revokes_only_by_post_with_a_csrf_token(personas: dict[str, Staff]) -> None:
    issued = tokens.issue_token(None, "planner", "x", days=5)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["admin"])
    assert client.get(f"/staff/tokens/{issued.token.pk}/revoke/").status_code == 405
    assert client.post(f"/staff/tokens/{issued.token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.get().revoked is None


@pytest.mark.parametrize("token_id", ["abc", "9" * 40, str(2**63), "0", "424242"])
def test_it_names_a_bad_token_id_on_the_page(
    client_for: Callable[[str], Client], personas: dict[str, Staff], token_id: str
) -> None:
    tokens.issue_token(None, "planner", "x", days=5)
    response = client_for("admin").post(f"/staff/tokens/{token_id}/revoke/", follow=True)
    assert response.status_code == 200
    assert "番号" in response.content.decode()
    assert ApiToken.objects.get().revoked is None


def test_it_issues_from_the_page_and_shows_the_secret_once(
    client_for: Callable[[str], Client], personas: dict[str, Staff]
) -> None:
    client = client_for("admin")
    response = client.post(
        "/staff/tokens/issue/", {"username": "planner", "name": "集計", "days": "30"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    body = response.content.decode()
    secret = body.split('id="token-secret">', 1)[1].split("<", 1)[0]
    assert ApiToken.digest_of(secret) == token.digest
    assert secret not in client.get("/staff/tokens/").content.decode()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"username": "nobody", "name": "x"}, "nobody"),
        ({"username": "x" * 10000, "name": "x"}, "ユーザー名"),
        ({"username": "planner", "name": ""}, "用途"),
        ({"username": "planner", "name": "x", "days": "abc"}, "有効期間"),
        ({"username": "planner", "name": "x", "days": "99999999999"}, "有効期間"),
        ({"username": "planner", "name": "x", "days": "400"}, "有効期間"),
    ],
)
def test_it_explains_a_bad_issue_form(
    client_for: Callable[[str], Client], form: dict[str, str], message: str
) -> None:
    response = client_for("admin").post("/staff/tokens/issue/", form)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ApiToken.objects.exists()


def test_it_names_an_unknown_user_in_the_filter(client_for: Callable[[str], Client]) -> None:
    response = client_for("admin").get("/staff/tokens/", {"user": "nobody" * 100})
    assert response.status_code == 400
    assert "ユーザー名" in response.content.decode()


@pytest.mark.parametrize("who", ["supervisor.elderly", "consultant.toyosu", "council"])
def test_it_refuses_the_token_page_to_non_administrators(
    client_for: Callable[[str], Client], personas: dict[str, Staff], who: str
) -> None:
    # given a token of the administrator's agency, and someone without MANAGE_STAFF
    issued = tokens.issue_token(None, "planner", "集計", days=5)
    client = client_for(who)
    # when they open the page, revoke or issue
    listing = client.get("/staff/tokens/")
    revoke = client.post(f"/staff/tokens/{issued.token.pk}/revoke/")
    issue = client.post("/staff/tokens/issue/", {"username": who, "name": "x", "days": "5"})
    # then each is refused with the reason, and nothing changes
    for response in (listing, revoke, issue):
        assert response.status_code == 403
        assert "権限" in response.content.decode()
    assert "集計" not in listing.content.decode()
    assert ApiToken.objects.get().revoked is None
    assert ApiToken.objects.count() == 1
