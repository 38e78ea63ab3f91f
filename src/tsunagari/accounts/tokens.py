"""API bearer tokens: issue, list and revoke, and the check of a presented token.

The ``tsunagari token`` command and the administrators' token page call the
same functions. ``actor`` is the staff member acting on a page (who must
hold ``Action.MANAGE_STAFF``), or ``None`` on the command line, where the
operator already has the server's shell and database. Every issue and
revocation is written to the audit log; the secret is returned once by
:func:`issue_token` and never stored, listed or audited (only its SHA-256
digest and its first eight characters are kept).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagari.accounts.models import ApiToken, Staff, TokenState
from tsunagari.accounts.policy import Action, require
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# A token lives at most a year (and a leap day): a forgotten integration
# stops on its own instead of holding access for ever.
MAX_DAYS = 366
# Last use is written at most once per this interval per token, so a busy
# client does not turn every API request into a write.
LAST_USED_PRECISION = timedelta(hours=1)
_MAX_SECRET_LENGTH = 200
_MAX_ID = 2**63 - 1  # the largest value a BigAutoField holds
_NAME_MAX = ApiToken._meta.get_field("name").max_length or 100


class TokenError(ValueError):
    """A token request that cannot be carried out; the message says what to fix."""


class TokenRefused(Exception):
    """A presented token authenticates nobody; the message says why."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The bearer secret: show it once, never store or log it.
    secret: str


@dataclass(frozen=True)
class TokenRow:
    """What a list shows of a token: never its secret or digest."""

    id: int
    prefix: str
    owner: str
    owner_name: str
    owner_agency: str
    name: str
    created: datetime
    expires: datetime
    last_used: datetime | None
    revoked: datetime | None
    # Username of who revoked it; "" when revoked on the command line.
    revoked_by: str
    state: TokenState

    @property
    def state_label(self) -> str:
        return str(self.state.label)


def _check_actor(actor: Staff | AnonymousUser | None) -> Staff | None:
    if actor is None:
        return None
    require(actor, Action.MANAGE_STAFF)
    return actor  # type: ignore[return-value]


def _via(actor: Staff | None) -> dict[str, str]:
    if actor is not None:
        return {"via": "page"}
    try:
        os_user = getpass.getuser()
    except Exception:  # no login name in some containers
        os_user = ""
    return {"via": "command", "os_user": os_user}


def default_days() -> int:
    """The lifetime of a token issued without ``days`` (``API_TOKEN_DAYS``)."""
    days = int(settings.API_TOKEN_DAYS)
    if days > MAX_DAYS:
        raise TokenError(
            _("設定 API_TOKEN_DAYS=%(days)d は長すぎます。%(max)d 日以下にしてください。")
            % {"days": days, "max": MAX_DAYS}
        )
    return days


def find_staff(username: str) -> Staff:
    name = (username or "").strip()
    if not name:
        raise TokenError(_("職員のユーザー名を指定してください。"))
    staff = None
    # Too long or with control characters (PostgreSQL refuses a NUL in a
    # query), a name matches nobody: no need to ask the database.
    if len(name) <= 150 and name.isprintable():
        staff = Staff.objects.select_related("agency").filter(username=name).first()
    if staff is None:
        raise TokenError(
            _("ユーザー名「%(name)s」の職員はいません。ユーザー名を確認してください。")
            % {"name": name[:40]}
        )
    return staff


def parse_token_id(value: str | int) -> int:
    """The token number from user input; a TokenError names a bad one."""
    text = str(value).strip().lstrip("#")
    if not text.isascii() or not text.isdigit() or len(text) > 19 or int(text) == 0:
        raise TokenError(
            _(
                "トークン番号「%(value)s」は正しくありません。一覧に表示される番号を指定してください。"
            )
            % {"value": str(value)[:20]}
        )
    number = int(text)
    if number > _MAX_ID:
        raise TokenError(
            _(
                "トークン番号「%(value)s」は正しくありません。一覧に表示される番号を指定してください。"
            )
            % {"value": text[:20]}
        )
    return number


def _clean_name(name: str) -> str:
    cleaned = (name or "").strip()
    if not cleaned:
        raise TokenError(_("トークンの用途を入力してください（例: 集計システム連携）。"))
    if len(cleaned) > _NAME_MAX:
        raise TokenError(
            _("用途は %(max)d 文字以内にしてください（%(length)d 文字あります）。")
            % {"max": _NAME_MAX, "length": len(cleaned)}
        )
    if any(not ch.isprintable() for ch in cleaned):
        raise TokenError(_("用途に改行や制御文字は使えません。"))
    return cleaned


def parse_days(value: str) -> int | None:
    """Days typed into a form: empty means the default lifetime."""
    text = (value or "").strip()
    if not text:
        return None
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise TokenError(
            _("有効期間は 1 日から %(max)d 日の間で指定してください。") % {"max": MAX_DAYS}
        )
    return int(text)


def _clean_days(days: int | None) -> int:
    if days is None:
        return default_days()
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(
            _("有効期間は 1 日から %(max)d 日の間で指定してください。") % {"max": MAX_DAYS}
        )
    return days


def issue_token(
    actor: Staff | AnonymousUser | None, username: str, name: str, days: int | None = None
) -> IssuedToken:
    """Issue a token for the staff member ``username``; the secret is in the result only."""
    staff_actor = _check_actor(actor)
    owner = find_staff(username)
    if not owner.is_active:
        raise TokenError(
            _("「%(name)s」のアカウントは無効です。有効にしてから発行してください。")
            % {"name": owner.username}
        )
    label = _clean_name(name)
    lifetime = _clean_days(days)
    with transaction.atomic():
        token, secret = ApiToken.issue(owner, label, timezone.now() + timedelta(days=lifetime))
        record(
            staff_actor,
            AuditAction.CREATE,
            obj=token,
            reason="API token issued",
            detail={
                "owner": owner.username,
                "name": label,
                "prefix": token.prefix,
                "expires": token.expires.isoformat(),
                **_via(staff_actor),
            },
        )
    return IssuedToken(token, secret)


def _row(token: ApiToken, now: datetime) -> TokenRow:
    return TokenRow(
        id=token.pk,
        prefix=token.prefix,
        owner=token.staff.username,
        owner_name=token.staff.display_name,
        owner_agency=token.staff.agency.name if token.staff.agency else "",
        name=token.name,
        created=token.created,
        expires=token.expires,
        last_used=token.last_used,
        revoked=token.revoked,
        revoked_by=token.revoked_by.username if token.revoked_by else "",
        state=token.state_at(now),
    )


def list_tokens(actor: Staff | AnonymousUser | None, *, username: str = "") -> list[TokenRow]:
    """Every token, newest first, or those of ``username``. Audited as a view."""
    staff_actor = _check_actor(actor)
    tokens = ApiToken.objects.select_related("staff", "staff__agency", "revoked_by")
    if username.strip():
        tokens = tokens.filter(staff=find_staff(username))
    now = timezone.now()
    rows = [_row(t, now) for t in tokens.order_by("-created", "-pk")]
    record(
        staff_actor,
        AuditAction.VIEW,
        object_type="accounts.apitoken",
        detail={
            "list": True,
            "user": username.strip()[:150],
            "count": len(rows),
            **_via(staff_actor),
        },
    )
    return rows


def _revoke(token: ApiToken, actor: Staff | None, now: datetime, reason: str) -> None:
    token.revoked = now
    token.revoked_by = actor
    token.save(update_fields=["revoked", "revoked_by"])
    record(
        actor,
        AuditAction.UPDATE,
        obj=token,
        reason=reason,
        detail={
            "owner": token.staff.username,
            "name": token.name,
            "prefix": token.prefix,
            "revoked": now.isoformat(),
            **_via(actor),
        },
    )


def revoke_token(actor: Staff | AnonymousUser | None, token_id: str | int) -> ApiToken:
    """Revoke one token: it authenticates nobody from now on."""
    staff_actor = _check_actor(actor)
    number = parse_token_id(token_id)
    with transaction.atomic():
        token = (
            ApiToken.objects.select_for_update(of=("self",))
            .select_related("staff")
            .filter(pk=number)
            .first()
        )
        if token is None:
            raise TokenError(
                _("番号 %(id)d のトークンはありません。一覧で番号を確認してください。")
                % {"id": number}
            )
        if token.revoked is not None:
            raise TokenError(
                _("トークン %(id)d は %(at)s に失効済みです。")
                % {"id": number, "at": f"{timezone.localtime(token.revoked):%Y-%m-%d %H:%M}"}
            )
        _revoke(token, staff_actor, timezone.now(), "API token revoked")
    return token


def revoke_all_tokens(actor: Staff | AnonymousUser | None, username: str) -> list[ApiToken]:
    """Revoke every token of ``username`` not yet revoked (e.g. when they leave)."""
    staff_actor = _check_actor(actor)
    owner = find_staff(username)
    now = timezone.now()
    with transaction.atomic():
        tokens = list(
            ApiToken.objects.select_for_update(of=("self",))
            .select_related("staff")
            .filter(staff=owner, revoked__isnull=True)
            .order_by("pk")
        )
        for token in tokens:
            _revoke(token, staff_actor, now, "all API tokens of the staff member revoked")
    return tokens


def authenticate(secret: str) -> Staff:
    """The staff member a presented secret stands for; TokenRefused says why not.

    Records the time of use at most once per ``LAST_USED_PRECISION``.
    """
    if not secret or len(secret) > _MAX_SECRET_LENGTH:
        raise TokenRefused(_("API トークンが正しくありません。"))
    token = (
        ApiToken.objects.select_related("staff", "staff__agency")
        .filter(digest=ApiToken.digest_of(secret))
        .first()
    )
    if token is None:
        raise TokenRefused(_("API トークンが正しくありません。"))
    now = timezone.now()
    state = token.state_at(now)
    refusals: dict[TokenState, str] = {
        TokenState.REVOKED: _(
            "この API トークンは失効しています。管理者に新しいトークンを依頼してください。"
        ),
        TokenState.EXPIRED: _(
            "この API トークンは有効期限が切れています。管理者に新しいトークンを依頼してください。"
        ),
        TokenState.OWNER_INACTIVE: _("この API トークンの職員アカウントは無効です。"),
    }
    if state in refusals:
        raise TokenRefused(refusals[state])
    if token.last_used is None or now - token.last_used >= LAST_USED_PRECISION:
        # A filtered update: of concurrent requests only one writes.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used__isnull=True) | Q(last_used__lte=now - LAST_USED_PRECISION)
        ).update(last_used=now)
    return token.staff
