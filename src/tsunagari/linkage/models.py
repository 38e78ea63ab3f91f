"""Linkage in the application: sources and their legal basis, runs, the
records each run linked, and the outreach candidates staff decide on.

A flag is a suggestion with its evidence, decided by a person; it is never
an automatic action or a label on a person (DOMAIN.md, "Finding households
early").
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Staff
from tsunagari.people.models import Person

#: The department extracts the ward links, by file stem, in display order.
SOURCE_LABELS: dict[str, str] = {
    "registry": _("住民記録"),  # type: ignore[dict-item]
    "care": _("介護保険"),  # type: ignore[dict-item]
    "disability": _("障害福祉"),  # type: ignore[dict-item]
    "child": _("子ども家庭"),  # type: ignore[dict-item]
    "poverty": _("生活支援"),  # type: ignore[dict-item]
    "csw": _("社会福祉協議会"),  # type: ignore[dict-item]
}


def source_label(name: str) -> str:
    """The Japanese name of a source (the stored label, else the file stem)."""
    label = SOURCE_LABELS.get(name)
    return str(label) if label is not None else name


def source_order(name: str) -> tuple[int, str]:
    """Sort key: the usual sources in display order (registry first), then others."""
    order = list(SOURCE_LABELS)
    return (order.index(name) if name in order else len(order), name)


class BasisKind(models.TextChoices):
    # A ward ordinance (条例) permits the use outside the original purpose.
    ORDINANCE = "ordinance", _("条例")
    # A statute (法令) permits it, e.g. the Social Welfare Act.
    STATUTE = "statute", _("法令")
    # The people concerned consented (本人同意).
    CONSENT = "consent", _("本人同意")


class DataSource(models.Model):
    """One department extract, and the legal basis for linking it.

    A run refuses any extract whose source has no recorded basis: the basis
    must be on record before the data is loaded.
    """

    name = models.SlugField(_("ファイル名（拡張子なし）"), max_length=40, unique=True)
    label = models.CharField(_("データ元"), max_length=60)
    basis_kind = models.CharField(
        _("法的根拠の種類"), max_length=20, choices=BasisKind.choices, blank=True
    )
    basis_text = models.TextField(_("目的外利用の根拠"), blank=True)
    basis_reference = models.CharField(_("根拠の条項・文書"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"), null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["name"]
        verbose_name = _("データ元")
        verbose_name_plural = _("データ元")

    def __str__(self) -> str:
        return f"{self.label} ({self.name})"

    @property
    def has_basis(self) -> bool:
        return bool(self.basis_kind and self.basis_text.strip() and self.basis_reference.strip())


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("待機中")
    RUNNING = "running", _("実行中")
    DONE = "done", _("完了")
    FAILED = "failed", _("失敗")


class LinkageRun(models.Model):
    """One linkage of uploaded extracts: link, then detect, then store."""

    created = models.DateTimeField(_("登録日時"), default=timezone.now)
    created_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("状態"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    stage = models.CharField(_("段階"), max_length=100, blank=True)
    progress = models.FloatField(_("進捗"), default=0.0)
    started = models.DateTimeField(_("開始日時"), null=True, blank=True)
    finished = models.DateTimeField(_("終了日時"), null=True, blank=True)
    as_of = models.DateField(_("年齢の基準日"), null=True, blank=True)
    files = models.JSONField(_("ファイル"), default=list, blank=True)
    work_dir = models.CharField(max_length=500, blank=True)
    records = models.PositiveIntegerField(_("レコード数"), null=True, blank=True)
    people = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    households = models.PositiveIntegerField(_("世帯数"), null=True, blank=True)
    warnings = models.PositiveIntegerField(_("警告数"), null=True, blank=True)
    candidates = models.PositiveIntegerField(_("候補数"), null=True, blank=True)
    seconds = models.FloatField(_("所要秒数"), null=True, blank=True)
    sources = models.JSONField(_("データ元別レコード数"), default=dict, blank=True)
    error = models.TextField(_("エラー"), blank=True)

    class Meta:
        ordering: ClassVar = ["-created"]
        verbose_name = _("データ連携の実行")
        verbose_name_plural = _("データ連携の実行")

    def __str__(self) -> str:
        return f"run {self.pk} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in {RunStatus.QUEUED, RunStatus.RUNNING}

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.progress * 100)))


class RecordLink(models.Model):
    """One input record of a run: its person cluster and, where its
    resident number (or its cluster's) matches a stored person, that person."""

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="record_links")
    source = models.CharField(max_length=40)
    record_id = models.CharField(max_length=100)
    cluster = models.CharField(max_length=40)
    household = models.CharField(max_length=40, blank=True)
    resident_id = models.CharField(max_length=20, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="linkage_records"
    )

    class Meta:
        indexes: ClassVar = [
            models.Index(fields=["person", "run"], name="recordlink_person_run"),
            models.Index(fields=["run", "cluster"], name="recordlink_run_cluster"),
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.record_id} → {self.cluster}"


class CandidateStatus(models.TextChoices):
    NEW = "new", _("未確認")
    NOT_NEEDED = "not_needed", _("確認済み・対応不要")
    REFERRED = "referred", _("アウトリーチへつないだ")
    SUPPORTED = "supported", _("すでに支援中")


class Candidate(models.Model):
    """A household whose records together show a complex-need pattern.

    A suggestion for designated staff, with its evidence; a person decides.
    """

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="candidate_set")
    pattern = models.CharField(_("パターン"), max_length=40, db_index=True)
    pattern_ja = models.CharField(_("パターン名"), max_length=60)
    household_key = models.CharField(_("世帯（連携上の番号）"), max_length=40)
    member_keys = models.JSONField(_("該当者（連携上の番号）"), default=list)
    members = models.ManyToManyField(Person, blank=True, related_name="+")
    sources = models.JSONField(_("データ元"), default=list)
    reason = models.TextField(_("理由"), blank=True)
    evidence = models.JSONField(_("根拠"), default=dict)
    status = models.CharField(
        _("判断"), max_length=20, choices=CandidateStatus.choices, default=CandidateStatus.NEW
    )
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("判断日時"), null=True, blank=True)
    note = models.TextField(_("メモ"), blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-run__created", "pattern", "household_key"]
        verbose_name = _("早期把握の候補")
        verbose_name_plural = _("早期把握の候補")

    def __str__(self) -> str:
        return f"{self.pattern} {self.household_key} (run {self.run_id})"


class PairDecision(models.TextChoices):
    # The two records are one person: joined in every later run.
    SAME = "same", _("同一人物")
    # Two different people: never joined in later runs, not even through others.
    DIFFERENT = "different", _("別人")


class LinkDecision(models.Model):
    """A person's decision on whether two department records are one person.

    Kept by the records' keys (source and record id, which departments keep
    from one extract to the next) and given to every later run. The pair is
    stored in one order (the smaller key first) so it is unique.
    """

    source_l = models.CharField(max_length=40)
    record_id_l = models.CharField(max_length=100)
    source_r = models.CharField(max_length=40)
    record_id_r = models.CharField(max_length=100)
    decision = models.CharField(_("判断"), max_length=10, choices=PairDecision.choices)
    note = models.TextField(_("メモ"), blank=True)
    decided_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("判断日時"), default=timezone.now)
    run = models.ForeignKey(
        LinkageRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-decided_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["source_l", "record_id_l", "source_r", "record_id_r"],
                name="linkdecision_unique_pair",
            )
        ]
        verbose_name = _("同一人物の判断")
        verbose_name_plural = _("同一人物の判断")

    def __str__(self) -> str:
        return (
            f"{self.source_l}:{self.record_id_l} / {self.source_r}:{self.record_id_r} "
            f"= {self.decision}"
        )


class ReviewPair(models.Model):
    """A pair of records a run could not be sure about: for a person to decide.

    ``left`` and ``right`` hold what a reviewer needs to compare (name,
    reading, birth date, sex, address, phone, resident number);
    ``comparison`` says how each field compares. ``sealed``: when the run
    was stored, a side belonged to a person whose address is restricted
    (閲覧制限), or an extract marked a record so. That is a snapshot; the
    queue masks by :func:`tsunagari.linkage.review.masked_pair_ids`, which
    also reads the seals of ``person_l``/``person_r`` (the stored person
    each record was matched to) and of their households as they are now.
    """

    run = models.ForeignKey(LinkageRun, on_delete=models.CASCADE, related_name="review_pairs")
    source_l = models.CharField(max_length=40)
    record_id_l = models.CharField(max_length=100)
    source_r = models.CharField(max_length=40)
    record_id_r = models.CharField(max_length=100)
    probability = models.FloatField(_("一致の確率"))
    linked = models.BooleanField(_("同一人物としてつないだ"))
    comparison = models.JSONField(default=dict)
    left = models.JSONField(default=dict)
    right = models.JSONField(default=dict)
    sealed = models.BooleanField(default=False)
    person_l = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    person_r = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rank = models.PositiveIntegerField(default=0)
    decision = models.ForeignKey(
        LinkDecision, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs"
    )

    class Meta:
        ordering: ClassVar = ["run", "rank"]
        verbose_name = _("確認が必要な組み合わせ")
        verbose_name_plural = _("確認が必要な組み合わせ")

    def __str__(self) -> str:
        return f"{self.source_l}:{self.record_id_l} / {self.source_r}:{self.record_id_r}"
