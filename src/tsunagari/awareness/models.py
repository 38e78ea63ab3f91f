"""Awareness activities (direction 10-1, 地域共生社会への意識醸成) and their reach.

Nobody is named: an activity records how many took part, by age band, and
for a campaign how many it is thought to have reached (leaflets handed out,
posts seen). A short feedback tally (understood / partly / not) is optional.
The rules that keep the counts consistent are in ``services``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagari.community.models import VersionedRecord


class ActivityKind(models.TextChoices):
    # 福祉教育: welfare education in a school (pupils and students).
    SCHOOL = "school", _("福祉教育（学校）")
    # ゲートキーパー研修: training residents and staff to notice and connect.
    GATEKEEPER = "gatekeeper", _("ゲートキーパー研修")
    # 講演会: a public talk.
    LECTURE = "lecture", _("講演会")
    # 出前講座: a talk given where a group meets (町会, 老人クラブ, company).
    DELIVERY = "delivery", _("出前講座")
    # キャンペーン: leaflets, posters, posts; reach is an estimate.
    CAMPAIGN = "campaign", _("キャンペーン")
    # Anything else with participants (体験会, 展示 …).
    OTHER = "other", _("その他")


# Kinds whose participants are counted as people reached by a talk, training
# or education (direction 10-1's participants); campaigns count reach apart.
PARTICIPANT_KINDS = (
    ActivityKind.SCHOOL,
    ActivityKind.GATEKEEPER,
    ActivityKind.LECTURE,
    ActivityKind.DELIVERY,
    ActivityKind.OTHER,
)


class Theme(models.TextChoices):
    KYOSEI = "kyosei", _("地域共生社会")
    ISOLATION = "isolation", _("孤独・孤立")
    RIGHTS = "rights", _("権利擁護")
    DEMENTIA = "dementia", _("認知症")
    SUICIDE = "suicide", _("自殺予防")
    DISABILITY = "disability", _("障害の理解")
    CARERS = "carers", _("ヤングケアラー・介護")
    OTHER = "other", _("その他")


# Age bands of participants (field name, label), in order. Schools use the
# first two; adults are teachers and parents.
AGE_BANDS: tuple[tuple[str, str], ...] = (
    ("age_primary", "小学生以下"),
    ("age_secondary", "中学生・高校生"),
    ("age_18_64", "18〜64歳"),
    ("age_65_plus", "65歳以上"),
    ("age_unknown", "年齢不明"),
)


class Activity(VersionedRecord):
    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("種類"), max_length=12, choices=ActivityKind.choices)
    held_on = models.DateField(_("実施日"), db_index=True)
    town = models.CharField(_("町名"), max_length=40, blank=True, db_index=True)
    place = models.CharField(_("場所"), max_length=120, blank=True)
    organiser = models.CharField(_("主催"), max_length=120)
    themes = models.JSONField(_("テーマ"), default=list)
    participants = models.PositiveIntegerField(_("参加者数"), default=0)
    age_primary = models.PositiveIntegerField(_("小学生以下"), default=0)
    age_secondary = models.PositiveIntegerField(_("中学生・高校生"), default=0)
    age_18_64 = models.PositiveIntegerField(_("18〜64歳"), default=0)
    age_65_plus = models.PositiveIntegerField(_("65歳以上"), default=0)
    age_unknown = models.PositiveIntegerField(_("年齢不明"), default=0)
    # Campaigns: leaflets handed out, posts seen … (an estimate; 0 for others).
    estimated_reach = models.PositiveIntegerField(_("推計の到達数"), default=0)
    # Optional feedback tally; each part of those who took part.
    understood = models.PositiveIntegerField(_("理解できた"), default=0)
    partly = models.PositiveIntegerField(_("少し理解できた"), default=0)
    not_understood = models.PositiveIntegerField(_("理解できなかった"), default=0)

    class Meta:
        ordering: ClassVar = ["-held_on", "pk"]
        verbose_name = _("啓発活動")
        verbose_name_plural = _("啓発活動")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(
                    participants=models.F("age_primary")
                    + models.F("age_secondary")
                    + models.F("age_18_64")
                    + models.F("age_65_plus")
                    + models.F("age_unknown")
                ),
                name="awareness_bands_add_up",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def bands(self) -> list[tuple[str, int]]:
        return [(label, getattr(self, name)) for name, label in AGE_BANDS]

    @property
    def feedback_total(self) -> int:
        return self.understood + self.partly + self.not_understood

    def theme_labels(self) -> list[str]:
        labels = dict(Theme.choices)
        return [str(labels.get(t, t)) for t in self.themes or []]
