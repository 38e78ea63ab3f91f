"""The liaison council's workspace (孤独・孤立対策連携会議): members, meetings, minutes, actions, papers.

The council is a public-private platform of equals: a ward office and a
neighbourhood association are both simply member organisations. Nothing
here holds personal data about residents; members read survey and
indicator aggregates, never rows.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff


class Sector(models.TextChoices):
    # The ward office and other public bodies.
    PUBLIC = "public", _("行政・公的機関")
    # 社会福祉協議会 and social-welfare corporations.
    SOCIAL_WELFARE = "social_welfare", _("社会福祉協議会・社会福祉法人")
    # NPOs and volunteer groups.
    NPO = "npo", _("NPO・ボランティア団体")
    # 町会・自治会 and other local groups, 民生委員.
    COMMUNITY = "community", _("町会・自治会・地域団体")
    # Businesses, shops, cooperatives.
    BUSINESS = "business", _("企業・商店・協同組合")
    # Schools, universities, anyone else.
    OTHER = "other", _("その他")


class Organisation(models.Model):
    """A member organisation; linked to an agency when its staff sign in to Tsunagari."""

    name = models.CharField(_("団体名"), max_length=200, unique=True)
    sector = models.CharField(_("区分"), max_length=20, choices=Sector.choices)
    agency = models.OneToOneField(
        Agency,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="council_organisation",
        verbose_name=_("関係機関"),
    )
    description = models.TextField(_("活動の概要"), blank=True)
    joined_on = models.DateField(_("参加日"), null=True, blank=True)
    is_active = models.BooleanField(_("参加中"), default=True)

    class Meta:
        verbose_name = _("構成団体")
        verbose_name_plural = _("構成団体")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    """One council meeting with its agenda."""

    held_on = models.DateField(_("開催日"))
    title = models.CharField(_("会議名"), max_length=200)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    agenda = models.TextField(_("議題"), blank=True)
    created_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = pgettext_lazy("one council meeting", "会議")
        verbose_name_plural = _("会議")
        ordering: ClassVar = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Minutes(models.Model):
    """The minutes of a meeting (議事録)."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    text = models.TextField(_("議事録"))
    recorded_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(default=timezone.now)
    # Optimistic lock: minutes saved against an older version are refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("議事録")
        verbose_name_plural = _("議事録")

    def __str__(self) -> str:
        return gettext("%(meeting)s 議事録") % {"meeting": self.meeting}


class ActionStatus(models.TextChoices):
    # Agreed and not yet done.
    OPEN = "open", _("対応中")
    # Done; done_on says when.
    DONE = "done", _("完了")


class ActionItem(models.Model):
    """Something the council agreed to do, owned by a member organisation (and optionally a person)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    title = models.CharField(_("内容"), max_length=300)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="actions", verbose_name=_("担当団体")
    )
    owner_staff = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("担当者"),
    )
    due_on = models.DateField(_("期限"))
    status = models.CharField(
        _("状態"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("完了日"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("取り組み事項")
        verbose_name_plural = _("取り組み事項")
        ordering: ClassVar = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due_on < timezone.localdate()


class Document(models.Model):
    """A shared paper. Stored under MEDIA with a random name; served only to workspace users."""

    title = models.CharField(_("資料名"), max_length=200)
    file = models.FileField(upload_to="council/documents/")
    original_name = models.CharField(_("ファイル名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(default=0)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("共有資料")
        verbose_name_plural = _("共有資料")
        ordering: ClassVar = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title
