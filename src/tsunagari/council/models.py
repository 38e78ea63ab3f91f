"""The liaison council's workspace (孤独・孤立対策連携会議): members, meetings, minutes, actions, papers.

The council is a public-private platform of equals: a ward office and a
neighbourhood association are both simply member organisations. Nothing
here holds personal data about residents; members read survey and
indicator aggregates, never rows.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.meetings.models import ActionItemBase, ActionStatus, MeetingBase, MinutesBase

__all__ = ["ActionItem", "ActionStatus", "Document", "Meeting", "Minutes", "Organisation", "Sector"]


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


class Meeting(MeetingBase):
    """One council meeting with its agenda (``held_on`` and ``agenda`` are the shared meeting's)."""

    title = models.CharField(_("会議名"), max_length=200)
    place = models.CharField(_("場所"), max_length=200, blank=True)
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


class Minutes(MinutesBase):
    """The minutes of a meeting (議事録), versioned as every meeting's minutes are."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")

    class Meta:
        verbose_name = _("議事録")
        verbose_name_plural = _("議事録")

    def __str__(self) -> str:
        return gettext("%(meeting)s 議事録") % {"meeting": self.meeting}


class ActionItem(ActionItemBase):
    """Something the council agreed to do, owned by a member organisation (and optionally a
    person); its agency is the organisation's, when it has one."""

    AGENCY_FIELD: ClassVar[str] = "owner__agency"

    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
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

    class Meta:
        verbose_name = _("取り組み事項")
        verbose_name_plural = _("取り組み事項")
        ordering: ClassVar = ["status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner_label(self) -> str:
        if self.owner_staff is None:
            return self.owner.name
        who = self.owner_staff.display_name or self.owner_staff.username
        return f"{self.owner.name}（{who}）"

    @property
    def meeting_url(self) -> str:
        return reverse("council:meeting", args=[self.meeting_id]) if self.meeting_id else ""

    @property
    def meeting_label(self) -> str:
        return self.meeting.title if self.meeting is not None else ""


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
