"""Participation support (参加支援事業): a person's wishes, the places they try, the hosts.

* :class:`ParticipationProfile`: what the person would like, can offer and
  cannot do (the matching engine's input), and their goals in their own words.
* :class:`Opportunity`: a new place to take part created with a host (メニュー
  創出). The directory's services are opportunities too, read live from the
  directory (``participation.adapter``), never copied here.
* :class:`Placement`: one person at one opportunity, from the proposal to
  settling in (定着) or stopping, with follow-ups on working days.
* :class:`HostSupportNote`: support given to a host organisation (受入先支援).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import Person


class Offer(models.TextChoices):
    # What a person can bring to a host; matched against what hosts seek.
    TALK = "話し相手", _("話し相手")
    COOKING = "料理", _("料理")
    DRIVING = "運転", _("運転")
    COMPUTER = "パソコン", _("パソコン")
    CHILDREN = "子どもの見守り", _("子どもの見守り")
    HANDWORK = "手芸", _("手芸")
    LIFTING = "力仕事", _("力仕事")
    OFFICE = "事務作業", _("事務作業")
    LANGUAGE = "外国語", _("外国語")
    GARDENING = "園芸", _("園芸")


class ParticipationProfile(models.Model):
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="participation_profile"
    )
    # Taxonomy term names of the directory (居場所, ボランティア …).
    interests = models.JSONField(_("関心"), default=list, blank=True)
    offers = models.JSONField(_("できること"), default=list, blank=True)
    # "MO-am", "WE-pm" …: when the person is free; empty means any time.
    free_times = models.JSONField(_("参加できる曜日・時間帯"), default=list, blank=True)
    home_town = models.CharField(_("住まいの町"), max_length=40, blank=True)
    towns = models.JSONField(_("行ける町（限る場合）"), default=list, blank=True)
    max_travel_minutes = models.PositiveIntegerField(
        _("移動時間の上限（分）"), null=True, blank=True
    )
    wheelchair = models.BooleanField(_("車いすを使う（段差のない場所）"), default=False)
    needs_companion = models.BooleanField(_("付き添いが必要"), default=False)
    max_cost_yen = models.PositiveIntegerField(_("1回の費用の上限（円）"), null=True, blank=True)
    languages = models.JSONField(_("使える言語"), default=list, blank=True)
    max_group_size = models.PositiveIntegerField(_("参加できる人数の上限"), null=True, blank=True)
    prefers_small_groups = models.BooleanField(_("大人数が苦手（少人数を優先）"), default=False)
    sensory_needs = models.BooleanField(_("音や光などの感覚への配慮が必要"), default=False)
    goals = models.TextField(_("本人のことばでの目標"), blank=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    updated_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")
    updated_at = models.DateTimeField(_("更新日時"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("参加支援の本人の希望")
        verbose_name_plural = _("参加支援の本人の希望")

    def __str__(self) -> str:
        return f"profile:{self.person_id}"


class Opportunity(models.Model):
    """A place to take part created with a host (メニュー創出)."""

    title = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("種別"), max_length=32)  # resources.ResourceKind value
    # The host: a directory organisation (its HSDS id) and its name as recorded.
    host_id = models.CharField(_("受入先ID"), max_length=64, db_index=True)
    host_name = models.CharField(_("受入先"), max_length=200)
    town = models.CharField(_("町名"), max_length=40)
    description = models.TextField(_("内容"), blank=True)
    interests = models.JSONField(_("関心（分類）"), default=list, blank=True)
    seeks = models.JSONField(_("受入先が求めること"), default=list, blank=True)
    free_times = models.JSONField(_("曜日・時間帯"), default=list, blank=True)
    flexible_time = models.BooleanField(_("日時は相談で決める"), default=False)
    walk_minutes = models.PositiveIntegerField(_("駅・バス停から徒歩（分）"), null=True, blank=True)
    cost_yen = models.PositiveIntegerField(_("費用（円）"), default=0)
    group_size = models.PositiveIntegerField(_("人数の目安"), null=True, blank=True)
    wheelchair = models.BooleanField(_("車いすで利用できる"), default=False)
    companion_ok = models.BooleanField(_("付き添いの同行可"), default=True)
    sensory_friendly = models.BooleanField(_("静かで刺激の少ない環境"), default=False)
    capacity = models.PositiveIntegerField(_("受入人数"), null=True, blank=True)
    created_on = models.DateField(_("創出日"))
    created_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")
    is_open = models.BooleanField(_("受入中"), default=True)

    class Meta:
        ordering: ClassVar = ["-created_on", "pk"]
        verbose_name = _("創出した参加の場")
        verbose_name_plural = _("創出した参加の場")

    def __str__(self) -> str:
        return self.title


class PlacementState(models.TextChoices):
    # Suggested to the person; they have not been yet.
    PROPOSED = "proposed", _("提案")
    # A first visit to try it (見学・体験).
    TRIAL = "trial", _("見学・体験")
    # Taking part regularly; follow-ups continue.
    PARTICIPATING = "participating", _("参加中")
    # Settled in (定着): taking part without the worker's support.
    SETTLED = "settled", _("定着")
    # Stopped, with a reason.
    STOPPED = "stopped", _("中止")


OPEN_STATES = (PlacementState.PROPOSED, PlacementState.TRIAL, PlacementState.PARTICIPATING)
# Where each state may go next.
MOVES: dict[str, tuple[str, ...]] = {
    PlacementState.PROPOSED: (PlacementState.TRIAL, PlacementState.STOPPED),
    PlacementState.TRIAL: (PlacementState.PARTICIPATING, PlacementState.STOPPED),
    PlacementState.PARTICIPATING: (PlacementState.SETTLED, PlacementState.STOPPED),
    PlacementState.SETTLED: (),
    PlacementState.STOPPED: (),
}


class StopReason(models.TextChoices):
    # The person decided not to go on.
    WISH = "wish", _("本人の希望")
    # Health got in the way.
    HEALTH = "health", _("体調")
    # It did not suit the person (atmosphere, content, people).
    FIT = "fit", _("合わなかった")
    # The host could not go on receiving them.
    HOST = "host", _("受入先の都合")
    # Moved away or other life change.
    MOVED = "moved", _("転居・生活の変化")
    # Anything else (the note says what).
    OTHER = "other", _("その他")


class Placement(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="placements")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="placements"
    )
    # Either a directory service (its HSDS id) or a created opportunity.
    service_id = models.CharField(max_length=64, blank=True, db_index=True)
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, null=True, blank=True, related_name="placements"
    )
    title = models.CharField(_("参加先"), max_length=200)
    host_id = models.CharField(_("受入先ID"), max_length=64, blank=True, db_index=True)
    host_name = models.CharField(_("受入先"), max_length=200, blank=True)
    kind = models.CharField(_("種別"), max_length=32, blank=True)
    reason = models.CharField(_("提案の理由"), max_length=200, blank=True)
    state = models.CharField(
        _("段階"), max_length=16, choices=PlacementState.choices, default=PlacementState.PROPOSED
    )
    proposed_on = models.DateField(_("提案日"))
    trial_on = models.DateField(_("見学・体験日"), null=True, blank=True)
    started_on = models.DateField(_("参加開始日"), null=True, blank=True)
    ended_on = models.DateField(_("定着・中止日"), null=True, blank=True)
    stop_reason = models.CharField(
        _("中止の理由"), max_length=16, choices=StopReason.choices, blank=True
    )
    end_note = models.TextField(_("メモ"), blank=True)
    worker = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", null=True)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering: ClassVar = ["-proposed_on", "-pk"]
        verbose_name = _("参加先")
        verbose_name_plural = _("参加先")

    def __str__(self) -> str:
        return f"placement:{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def next_states(self) -> tuple[str, ...]:
        return MOVES[self.state]


class FollowUp(models.Model):
    """A reminder to check in with the person (and host), due on a working day."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("予定日"), db_index=True)
    done_on = models.DateField(_("実施日"), null=True, blank=True)
    note = models.TextField(_("様子"), blank=True)
    done_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering: ClassVar = ["due_on", "pk"]
        verbose_name = _("フォローアップ")
        verbose_name_plural = _("フォローアップ")

    def __str__(self) -> str:
        return f"follow_up:{self.pk}"


class HostSupportKind(models.TextChoices):
    # Getting ready to receive someone (what to expect, who to call).
    PREPARATION = "preparation", _("受入準備の相談")
    # Sharing what helps the person (with their agreement).
    ADJUSTMENTS = "adjustments", _("配慮事項の共有")
    # The host raised a difficulty.
    DIFFICULTY = "difficulty", _("困りごとへの対応")
    # Training or an explanation for the host's members.
    TRAINING = "training", _("研修・説明")
    # Anything else.
    OTHER = "other", _("その他")


class HostSupportNote(models.Model):
    host_id = models.CharField(_("受入先ID"), max_length=64, db_index=True)
    host_name = models.CharField(_("受入先"), max_length=200)
    placement = models.ForeignKey(
        Placement, on_delete=models.SET_NULL, null=True, blank=True, related_name="host_notes"
    )
    on = models.DateField(_("日付"))
    kind = models.CharField(_("支援の内容"), max_length=16, choices=HostSupportKind.choices)
    note = models.TextField(_("メモ"), blank=True)
    by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, related_name="+")

    class Meta:
        ordering: ClassVar = ["-on", "-pk"]
        verbose_name = _("受入先支援の記録")
        verbose_name_plural = _("受入先支援の記録")

    def __str__(self) -> str:
        return f"host_support:{self.pk}"
