"""Community building (地域づくり事業): activities at places of the directory,
their sessions and attendance as counts.

Nobody is named here. An activity points at the directory (HSDS ids, like the
directory's own links): the place (``location_id``), the listed service it
belongs to (``service_id``, optional) and the group that runs it
(``organization_id``, optional). Attendance is a handful of counts per
session; the rules that keep them consistent are in ``services``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Staff


# Shared with awareness activities: staff create these records and correct
# them later under an optimistic lock (``community.versioned``).
class VersionedRecord(models.Model):
    """When and by whom a record was made, when last saved, and its version."""

    created = models.DateTimeField(_("登録日時"))
    created_by = models.ForeignKey(
        "accounts.Staff", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(_("更新日時"))
    # Optimistic lock: a correction saved against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class ActivityKind(models.TextChoices):
    # Held regularly (weekly salon, monthly café): counts as a gathering place.
    REGULAR = "regular", _("定期的な活動")
    # A one-off or occasional event (festival, lecture, trip).
    EVENT = "event", _("イベント")


class ActivityStatus(models.TextChoices):
    # Running: sessions are planned and recorded.
    ACTIVE = "active", _("実施中")
    # Paused for a while; kept in the counts of past years.
    PAUSED = "paused", _("休止中")
    # Ended for good; kept for history.
    ENDED = "ended", _("終了")


class Activity(VersionedRecord):
    title = models.CharField(_("活動名"), max_length=120)
    kind = models.CharField(_("種類"), max_length=10, choices=ActivityKind.choices)
    status = models.CharField(
        _("状態"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.ACTIVE
    )
    description = models.TextField(_("内容"), blank=True)
    # How often, in words residents read (「毎週火曜 14時〜16時」).
    schedule_note = models.CharField(_("開催の目安"), max_length=120, blank=True)
    # The directory's place (resources.Location id), service and running group.
    location_id = models.CharField(_("場所"), max_length=64, db_index=True)
    service_id = models.CharField(_("関連する資源"), max_length=64, blank=True)
    organization_id = models.CharField(_("運営団体"), max_length=64, blank=True, db_index=True)
    # Copied from the place when saved, so counts by town need no join.
    town = models.CharField(_("町名"), max_length=40, blank=True, db_index=True)
    # Volunteers who run it (a count; nobody is named).
    volunteers = models.PositiveIntegerField(_("ボランティアの人数"), default=0)
    # Listed on the residents' pages.
    is_public = models.BooleanField(_("区民向けページに掲載"), default=True)
    started_on = models.DateField(_("開始日"))

    class Meta:
        ordering: ClassVar = ["title", "pk"]
        verbose_name = _("地域の活動")
        verbose_name_plural = _("地域の活動")

    def __str__(self) -> str:
        return self.title


class SessionStatus(models.TextChoices):
    # Planned; residents see it in the upcoming list.
    PLANNED = "planned", _("予定")
    # Held, with its attendance recorded.
    HELD = "held", _("実施済み")
    # Called off.
    CANCELLED = "cancelled", _("中止")


# Age bands of attendance counts (field name, label), in order.
AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("age_under_18", "18歳未満"),
    ("age_18_64", "18〜64歳"),
    ("age_65_74", "65〜74歳"),
    ("age_75_plus", "75歳以上"),
    ("age_unknown", "年齢不明"),
)


class Session(models.Model):
    """One meeting of an activity and, once held, how many came (counts only)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    on = models.DateField(_("開催日"), db_index=True)
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.PLANNED
    )
    total = models.PositiveIntegerField(_("参加者数"), default=0)
    first_timers = models.PositiveIntegerField(_("初めての参加者"), default=0)
    age_under_18 = models.PositiveIntegerField(_("18歳未満"), default=0)
    age_18_64 = models.PositiveIntegerField(_("18〜64歳"), default=0)
    age_65_74 = models.PositiveIntegerField(_("65〜74歳"), default=0)
    age_75_plus = models.PositiveIntegerField(_("75歳以上"), default=0)
    age_unknown = models.PositiveIntegerField(_("年齢不明"), default=0)
    # Participants known to need support (care, disability, language …).
    with_support = models.PositiveIntegerField(_("支援が必要な参加者"), default=0)
    volunteers = models.PositiveIntegerField(_("運営ボランティアの人数"), default=0)
    recorded_at = models.DateTimeField(_("記録日時"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["on", "starts_at", "pk"]
        verbose_name = _("開催回")
        verbose_name_plural = _("開催回")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["activity", "on", "starts_at"], name="community_session_once"
            ),
            models.CheckConstraint(
                condition=models.Q(first_timers__lte=models.F("total"))
                & models.Q(with_support__lte=models.F("total")),
                name="community_session_counts_within_total",
            ),
        ]
        indexes: ClassVar = [models.Index(fields=["status", "on"], name="community_session_due")]

    def __str__(self) -> str:
        return f"{self.activity_id}@{self.on}"

    @property
    def without_support(self) -> int:
        return self.total - self.with_support

    def bands(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, name)) for name, label in AGE_BANDS]
