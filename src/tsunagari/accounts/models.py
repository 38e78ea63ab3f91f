"""Agencies (関係機関) and the staff who work in them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    # 区役所の各課 (福祉課, 障害者支援課, 保護課, 防災課 …): the ward itself.
    WARD_DEPARTMENT = "ward_department", _("区役所（担当課）")
    # 地域包括支援センター; Koto calls them 長寿サポートセンター (elderly).
    LONGEVITY_SUPPORT_CENTRE = (
        "longevity_support_centre",
        _("長寿サポートセンター（地域包括支援センター）"),
    )
    # 障害者相談支援事業所 (disability consultation).
    DISABILITY_CONSULTATION = "disability_consultation", _("障害者相談支援事業所")
    # 子ども家庭支援センター; runs 利用者支援事業 (child-rearing).
    CHILD_FAMILY_CENTRE = "child_family_centre", _("子ども家庭支援センター")
    # 生活困窮者自立相談支援機関 (self-reliance support).
    SELF_RELIANCE_SUPPORT = "self_reliance_support", _("生活困窮者自立相談支援機関")
    # 社会福祉協議会, home of the community social workers (CSW).
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
    # 多機関協働事業者: runs complex cases across agencies (often contracted).
    MULTI_AGENCY = "multi_agency", _("多機関協働事業者")
    # NPOs and other non-profit partners.
    NPO = "npo", _("NPO・市民団体")
    # Private partners: companies, cooperatives, care providers.
    PRIVATE_PARTNER = "private_partner", _("民間事業者")
    # 民生委員・児童委員 (volunteer commissioners), grouped by district.
    COMMISSIONER = "commissioner", _("民生委員・児童委員")


class Role(models.TextChoices):
    # Takes any consultation, looks people up, refers, records support.
    CONSULTANT = "consultant", _("相談員")
    # 多機関協働事業者: runs complex cases and 重層的支援会議.
    COORDINATOR = "coordinator", _("多機関協働コーディネーター")
    # Works the list of people who do not reach help themselves.
    OUTREACH = "outreach", _("アウトリーチ支援員")
    # Matches wishes with local resources (参加支援).
    PARTICIPATION = "participation", _("参加支援員")
    # Keeps places, groups and events up to date (地域づくり).
    COMMUNITY = "community", _("地域づくり担当")
    # Owns the welfare plan: indicators, evaluations, reports.
    PLANNER = "planner", _("計画担当")
    # Evacuation-support roster and individual plans.
    DISASTER = "disaster", _("防災担当")
    # Liaison council member: aggregates only, never personal data.
    COUNCIL_MEMBER = "council_member", _("連携会議委員")
    # Oversees an agency's work; reads its audit trail.
    SUPERVISOR = "supervisor", _("スーパーバイザー")
    # Manages accounts, agencies and imports.
    ADMINISTRATOR = "administrator", _("システム管理者")


class Agency(models.Model):
    code = models.SlugField(_("機関コード"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    name_en = models.CharField(_("英語名"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=40, choices=AgencyKind.choices)
    town = models.CharField(_("所在地（町名）"), max_length=40, blank=True)
    phone = models.CharField(_("電話"), max_length=40, blank=True)
    is_active = models.BooleanField(_("有効"), default=True)

    class Meta:
        ordering: ClassVar = ["kind", "name"]
        verbose_name = _("関係機関")
        verbose_name_plural = _("関係機関")

    def __str__(self) -> str:
        return self.name


def _validate_roles(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(r, str) for r in value):
        raise ValidationError(_("役割は文字列のリストで指定してください。"))
    unknown = sorted(set(value) - set(Role.values))
    if unknown:
        raise ValidationError(_("不明な役割です: %(roles)s"), params={"roles": ", ".join(unknown)})


class Staff(AbstractUser):
    """A person who signs in. Belongs to at most one agency; holds roles."""

    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("所属機関"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    roles = models.JSONField(_("役割"), default=list, blank=True, validators=[_validate_roles])
    # Designated staff (指定職員) may see sealed persons' addresses (閲覧制限)
    # and complex-need flags; both are rare and audited.
    sealed_access = models.BooleanField(_("閲覧制限対象者の住所を閲覧できる"), default=False)
    flag_access = models.BooleanField(_("早期把握フラグを閲覧できる"), default=False)
    # The designated team for abuse and violence reports (虐待・DV対応の担当).
    safeguarding_access = models.BooleanField(_("虐待・DVの通報を担当する"), default=False)
    # May declare and end disaster mode for the evacuation roster.
    disaster_authority = models.BooleanField(_("災害時の名簿提供を発令できる"), default=False)
    # Consumer affairs centre staff who issue scam and consumer-damage alerts.
    consumer_affairs = models.BooleanField(_("消費者被害の注意情報を発信できる"), default=False)
    # An initial password from `tsunagari initial_password` (ASVS 2.3.1): it
    # signs in only until it expires, and only to choose a password of one's own.
    password_must_change = models.BooleanField(_("パスワードの変更が必要"), default=False)
    initial_password_expires = models.DateTimeField(
        _("初期パスワードの有効期限"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")

    def __str__(self) -> str:
        return self.display_name or self.username

    def has_role(self, role: str) -> bool:
        return role in (self.roles or [])

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Role.choices)
        return [str(labels.get(r, r)) for r in self.roles or []]


class TokenState(models.TextChoices):
    # Authenticates its owner until it expires.
    ACTIVE = "active", _("有効")
    # Past its expiry date: authenticates nobody.
    EXPIRED = "expired", _("期限切れ")
    # Revoked by an administrator or on the command line: authenticates nobody.
    REVOKED = "revoked", _("失効")
    # Its owner's account is inactive: authenticates nobody while it stays so.
    OWNER_INACTIVE = "owner_inactive", _("職員が無効")


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored.

    Issue, list and revoke through :mod:`tsunagari.accounts.tokens`, which
    checks permission and writes the audit record.
    """

    staff = models.ForeignKey(
        Staff, verbose_name=_("職員"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("用途"), max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created = models.DateTimeField(_("発行日時"), default=timezone.now)
    expires = models.DateTimeField(_("有効期限"))
    # Updated at most once an hour (see tokens.LAST_USED_PRECISION), so
    # busy clients do not write on every request.
    last_used = models.DateTimeField(_("最終利用"), null=True, blank=True)
    revoked = models.DateTimeField(_("失効日時"), null=True, blank=True)
    # Empty on a revoked token when it was revoked on the command line.
    revoked_by = models.ForeignKey(
        Staff,
        verbose_name=_("失効させた職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("APIトークン")
        verbose_name_plural = _("APIトークン")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def digest_of(raw: str) -> str:
        return hashlib.sha256(raw.encode("utf-8")).hexdigest()

    @classmethod
    def issue(
        cls, staff: Staff, name: str, expires: datetime | None = None
    ) -> tuple[ApiToken, str]:
        """Create a token row and return it with the secret (shown once).

        The bare constructor, without permission check or audit record:
        the issuing action is ``tokens.issue_token``. Without ``expires``
        the token lives ``settings.API_TOKEN_DAYS`` days.
        """
        if expires is None:
            expires = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
        raw = "tsg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(
            staff=staff, name=name, digest=cls.digest_of(raw), prefix=raw[:8], expires=expires
        )
        return token, raw

    def state_at(self, now: datetime) -> TokenState:
        if self.revoked is not None:
            return TokenState.REVOKED
        if self.expires <= now:
            return TokenState.EXPIRED
        if not self.staff.is_active:
            return TokenState.OWNER_INACTIVE
        return TokenState.ACTIVE

    @property
    def state(self) -> TokenState:
        return self.state_at(timezone.now())

    @property
    def is_usable(self) -> bool:
        return self.state == TokenState.ACTIVE


class HomeVisit(models.Model):
    """When a staff member last looked at their home page or worklist.

    Answers to their agency's referrals that came after it are "new" on the
    home page and in the header badge. One row per staff member, written once
    per page view by :func:`tsunagari.accounts.visits.record_visit` (an upsert:
    nothing shared is locked); no row yet means nothing is new.
    """

    staff = models.OneToOneField(
        Staff, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField(_("ホームを最後に見た日時"))

    class Meta:
        verbose_name = _("ホームの確認")
        verbose_name_plural = _("ホームの確認")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.seen_at:%Y-%m-%d %H:%M}"
