"""The welfare workforce (福祉人材, direction 9-1): each agency's register of
workers, their qualifications, the training they attended and the supervision
they received.

These are staff records, not residents': no person of the ward appears here,
and a supervision session records when, by whom, how and how long — never
what case was discussed. They are still the workers' personal data, so every
page that shows them is audited, and a supervisor keeps only their own
agency's register (``access``). Everything is written by ``services``.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff


class Worker(models.Model):
    """Someone who works in an agency; may or may not sign in (``staff``)."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("所属機関"), on_delete=models.PROTECT, related_name="+"
    )
    # The sign-in account, when the worker has one (at most one worker per account).
    staff = models.ForeignKey(
        Staff,
        verbose_name=_("職員アカウント"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("氏名"), max_length=100)
    job = models.CharField(_("職種・職名"), max_length=60, blank=True)
    # Left the agency: kept for the years they worked, out of this year's register.
    is_active = models.BooleanField(_("在籍"), default=True)
    created = models.DateTimeField(_("登録日時"))
    created_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["agency", "name", "pk"]
        verbose_name = _("福祉人材")
        verbose_name_plural = _("福祉人材")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=models.Q(staff__isnull=False),
                name="workforce_worker_one_per_account",
            )
        ]

    def __str__(self) -> str:
        return self.name


class QualificationKind(models.TextChoices):
    # 社会福祉士 (certified social worker).
    SOCIAL_WORKER = "social_worker", _("社会福祉士")
    # 精神保健福祉士 (psychiatric social worker).
    PSYCHIATRIC_SOCIAL_WORKER = "psychiatric_social_worker", _("精神保健福祉士")
    # 介護福祉士 (certified care worker).
    CARE_WORKER = "care_worker", _("介護福祉士")
    # 主任介護支援専門員 (chief care manager).
    CHIEF_CARE_MANAGER = "chief_care_manager", _("主任介護支援専門員")
    # 介護支援専門員 (care manager).
    CARE_MANAGER = "care_manager", _("介護支援専門員")
    # 相談支援専門員 (disability consultation specialist).
    DISABILITY_CONSULTANT = "disability_consultant", _("相談支援専門員")
    # 保健師 (public health nurse).
    PUBLIC_HEALTH_NURSE = "public_health_nurse", _("保健師")
    # 公認心理師 (certified psychologist).
    PSYCHOLOGIST = "psychologist", _("公認心理師")
    # Any other qualification, named in ``other_name``.
    OTHER = "other", _("その他")


class Qualification(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("資格"), max_length=30, choices=QualificationKind.choices)
    # The qualification's name when ``kind`` is OTHER; empty otherwise.
    other_name = models.CharField(_("資格名（その他）"), max_length=60, blank=True)
    obtained_on = models.DateField(_("取得日"))
    recorded_at = models.DateTimeField(_("記録日時"))
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["worker", "obtained_on", "pk"]
        verbose_name = _("資格")
        verbose_name_plural = _("資格")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["worker", "kind", "other_name"], name="workforce_qualification_once"
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == QualificationKind.OTHER:
            return self.other_name
        return str(self.get_kind_display())


class Training(models.Model):
    """One course held on one day, with its attendance list."""

    title = models.CharField(_("研修名"), max_length=120)
    held_on = models.DateField(_("実施日"), db_index=True)
    hours = models.DecimalField(_("時間数"), max_digits=5, decimal_places=1)
    organiser = models.CharField(_("主催"), max_length=120)
    # The ward's cross-agency training of the layered support system
    # (重層的支援体制): organised by the ward for several agencies at once.
    cross_agency = models.BooleanField(_("重層的支援体制の合同研修"), default=False)
    # The agency whose register the course was entered from (empty for the ward's).
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("記録した機関"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created = models.DateTimeField(_("登録日時"))
    created_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-held_on", "title", "pk"]
        verbose_name = _("研修")
        verbose_name_plural = _("研修")

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on})"


class Attendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendances")
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="attendances")
    recorded_at = models.DateTimeField(_("記録日時"))
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["training", "worker", "pk"]
        verbose_name = _("研修の受講")
        verbose_name_plural = _("研修の受講")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["training", "worker"], name="workforce_attend_once")
        ]

    def __str__(self) -> str:
        return f"{self.training_id}:{self.worker_id}"


class SupervisionFormat(models.TextChoices):
    # One supervisor with one worker.
    INDIVIDUAL = "individual", _("個別")
    # One supervisor with several workers.
    GROUP = "group", _("グループ")


class Supervision(models.Model):
    """A supervision session: who, when, how long. Never what was discussed."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("機関"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("実施日"), db_index=True)
    supervisor = models.CharField(_("スーパーバイザー"), max_length=100)
    format = models.CharField(_("形式"), max_length=12, choices=SupervisionFormat.choices)
    hours = models.DecimalField(_("時間数"), max_digits=4, decimal_places=1)
    workers = models.ManyToManyField(
        Worker, verbose_name=_("受けた人"), related_name="supervisions"
    )
    created = models.DateTimeField(_("登録日時"))
    created_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-held_on", "pk"]
        verbose_name = _("スーパービジョン")
        verbose_name_plural = _("スーパービジョン")

    def __str__(self) -> str:
        return f"{self.agency_id}@{self.held_on}"
