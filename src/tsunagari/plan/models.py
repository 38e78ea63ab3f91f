"""The welfare plan as data: the policy system of one plan period, its
indicators with baselines and targets, hand-entered values with evidence,
and the yearly evaluations with the plan committee's comments.

The policy system is read from the package's copy of the plan
(``plan/data``) by ``loading.load_plan``; pages never edit it. Each plan
period keeps its own tree, so a next plan is loaded beside this one.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanPeriod(models.Model):
    """One plan (e.g. FY2025–FY2029) with its philosophy."""

    code = models.CharField(_("計画コード"), max_length=20, unique=True)
    name = models.CharField(_("計画名"), max_length=200)
    first_year = models.PositiveSmallIntegerField(_("開始年度"))
    last_year = models.PositiveSmallIntegerField(_("終了年度"))
    philosophy = models.CharField(_("基本理念"), max_length=300)
    philosophy_en = models.CharField(max_length=300, blank=True)
    # SHA-256 of the framework file it was loaded from: a changed file is refused.
    source_digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)
    # Set by the demo loader: pages say the figures are sample data.
    sample_data = models.BooleanField(_("サンプルデータ"), default=False)

    class Meta:
        ordering: ClassVar = ["first_year"]
        verbose_name = _("計画期間")
        verbose_name_plural = _("計画期間")

    def __str__(self) -> str:
        return self.name

    def covers(self, fiscal_year: int) -> bool:
        return self.first_year <= fiscal_year <= self.last_year


class BasicPolicy(models.Model):
    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="policies")
    code = models.CharField(max_length=8)
    name = models.CharField(_("基本方針"), max_length=200)
    name_en = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar = ["period", "order"]
        unique_together: ClassVar = [("period", "code")]
        verbose_name = _("基本方針")
        verbose_name_plural = _("基本方針")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PolicyMeasure(models.Model):
    """A 施策 (1 … 10) under a basic policy."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="measures")
    policy = models.ForeignKey(BasicPolicy, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(max_length=8)
    name = models.CharField(_("施策"), max_length=200)
    name_en = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar = ["period", "order"]
        unique_together: ClassVar = [("period", "code")]
        verbose_name = _("施策")
        verbose_name_plural = _("施策")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Direction(models.Model):
    """A 施策の方向性 (1-1 … 10-1): the level the indicators and evaluations hang on."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="directions")
    measure = models.ForeignKey(PolicyMeasure, on_delete=models.CASCADE, related_name="directions")
    code = models.CharField(max_length=8)
    name = models.CharField(_("施策の方向性"), max_length=200)
    name_en = models.CharField(max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar = ["period", "order"]
        unique_together: ClassVar = [("period", "code")]
        verbose_name = _("施策の方向性")
        verbose_name_plural = _("施策の方向性")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Initiative(models.Model):
    """A cross-cutting initiative (孤独・孤立対策, 重層的支援体制整備事業)."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="initiatives")
    code = models.CharField(max_length=40)
    name = models.CharField(_("横断的な取組"), max_length=200)
    name_en = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar = ["period", "order"]
        unique_together: ClassVar = [("period", "code")]
        verbose_name = _("横断的な取組")
        verbose_name_plural = _("横断的な取組")

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    """One of the five programmes of the layered support system, under its support kind."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="programmes")
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="programmes")
    support_code = models.CharField(max_length=40)
    support_name = models.CharField(_("支援の種類"), max_length=100)
    code = models.CharField(max_length=40)
    # The contract's programme key (consultation, participation, …).
    key = models.CharField(max_length=40)
    name = models.CharField(_("事業"), max_length=200)
    description_en = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering: ClassVar = ["period", "order"]
        unique_together: ClassVar = [("period", "code")]
        verbose_name = _("事業")
        verbose_name_plural = _("事業")

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    # The programme's content and set-up are being designed (検討).
    DESIGN = "design", _("設計")
    # Transition: some parts run ahead of the full start.
    TRANSITION = "transition", _("移行")
    # Fully running.
    FULL = "full", _("本格実施")


class ScheduleYear(models.Model):
    """The plan's schedule: what stage the programmes are in, per fiscal year."""

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="schedule")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    era = models.CharField(_("和暦"), max_length=20)
    stage = models.CharField(_("段階"), max_length=20, choices=Stage.choices)
    text = models.CharField(_("内容"), max_length=200)

    class Meta:
        ordering: ClassVar = ["period", "fiscal_year"]
        unique_together: ClassVar = [("period", "fiscal_year")]
        verbose_name = _("スケジュール")
        verbose_name_plural = _("スケジュール")

    def __str__(self) -> str:
        return f"{self.fiscal_year} {self.stage}"


class ProgrammeStage(models.Model):
    """One programme's stage in one fiscal year (from the schedule)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="stages")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    stage = models.CharField(_("段階"), max_length=20, choices=Stage.choices)

    class Meta:
        ordering: ClassVar = ["programme", "fiscal_year"]
        unique_together: ClassVar = [("programme", "fiscal_year")]

    def __str__(self) -> str:
        return f"{self.programme.code} {self.fiscal_year} {self.stage}"


class Source(models.TextChoices):
    # Computed from the system's own records by a named query (the registry).
    COMPUTED = "computed", _("システムの記録から集計")
    # Entered by hand each year with evidence (the ward's other systems hold it).
    ENTERED = "entered", _("手入力（根拠を添付）")


class IndicatorDefinition(models.Model):
    """An indicator of one direction: what it counts, its unit, baseline and owner.

    Computed indicators mirror the registry (``registry.register_indicator``)
    so that targets and evaluations can refer to them; entered ones come from
    ``plan/data/entered_indicators.yaml``.
    """

    period = models.ForeignKey(PlanPeriod, on_delete=models.CASCADE, related_name="indicators")
    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("指標コード"), max_length=80)
    name = models.CharField(_("指標"), max_length=200)
    unit = models.CharField(_("単位"), max_length=10)
    definition = models.TextField(_("数えるもの"))
    owner = models.CharField(_("担当"), max_length=100, blank=True)
    source = models.CharField(_("出典"), max_length=10, choices=Source.choices)
    higher_is_better = models.BooleanField(_("多いほど良い"), default=True)
    sensitive = models.BooleanField(default=False)
    # False when the registry no longer has a computed indicator of this code.
    is_active = models.BooleanField(default=True)
    baseline_year = models.PositiveSmallIntegerField(_("基準年度"), null=True, blank=True)
    baseline_value = models.FloatField(_("基準値"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["period", "direction__order", "code"]
        unique_together: ClassVar = [("period", "code")]
        verbose_name = _("指標")
        verbose_name_plural = _("指標")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Target(models.Model):
    indicator = models.ForeignKey(
        IndicatorDefinition, on_delete=models.CASCADE, related_name="targets"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    value = models.FloatField(_("目標値"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["indicator", "fiscal_year"]
        unique_together: ClassVar = [("indicator", "fiscal_year")]
        verbose_name = _("目標値")
        verbose_name_plural = _("目標値")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.fiscal_year}: {self.value}"


class EnteredValue(models.Model):
    """A hand-entered yearly value and its evidence (a note, optionally a file)."""

    indicator = models.ForeignKey(
        IndicatorDefinition, on_delete=models.CASCADE, related_name="entered_values"
    )
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    value = models.FloatField(_("値"))
    note = models.TextField(_("根拠"))
    evidence = models.FileField(_("根拠資料"), upload_to="plan/evidence/", blank=True)
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["indicator", "fiscal_year"]
        unique_together: ClassVar = [("indicator", "fiscal_year")]
        verbose_name = _("入力値")
        verbose_name_plural = _("入力値")

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.fiscal_year}: {self.value}"


class Rating(models.TextChoices):
    # Ahead of the plan: targets met and more.
    A = "A", _("A 計画以上に進んでいる")
    # As planned.
    B = "B", _("B 計画どおり進んでいる")
    # Somewhat behind.
    C = "C", _("C やや遅れている")
    # Behind: needs a change of approach.
    D = "D", _("D 遅れている")


class Evaluation(models.Model):
    """The owning department's yearly evaluation of one direction.

    ``values`` freezes the indicator rows as they stood when evaluated, so a
    later correction of records does not rewrite what the committee read.
    """

    direction = models.ForeignKey(Direction, on_delete=models.CASCADE, related_name="evaluations")
    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    rating = models.CharField(_("評価"), max_length=1, choices=Rating.choices)
    comment = models.TextField(_("評価の理由"))
    next_steps = models.TextField(_("今後の方向性"))
    values = models.JSONField(default=list)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["direction__order", "fiscal_year"]
        unique_together: ClassVar = [("direction", "fiscal_year")]
        verbose_name = _("年次評価")
        verbose_name_plural = _("年次評価")

    def __str__(self) -> str:
        return f"{self.direction.code} {self.fiscal_year} {self.rating}"


class CommitteeComment(models.Model):
    """A comment of the plan committee (計画推進委員会) on an evaluation."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="committee_comments"
    )
    text = models.TextField(_("委員会の意見"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["evaluation", "recorded_at", "pk"]
        verbose_name = _("計画推進委員会の意見")
        verbose_name_plural = _("計画推進委員会の意見")

    def __str__(self) -> str:
        return f"comment on {self.evaluation_id}"
