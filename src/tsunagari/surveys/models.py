"""The ward's loneliness and isolation survey: definitions, imports, responses, results.

A response is not a person record: it carries no name, address or registry
number. It is still sensitive, so only staff who manage surveys see rows;
everyone else reads the stored, suppressed estimates.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Staff


class Survey(models.Model):
    """One round (fiscal year and wave) of the ward's survey."""

    fiscal_year = models.PositiveSmallIntegerField(_("年度"))
    wave = models.PositiveSmallIntegerField(_("回"), default=1)
    title = models.CharField(_("調査名"), max_length=200)
    fieldwork_start = models.DateField(_("調査期間（開始）"), null=True, blank=True)
    fieldwork_end = models.DateField(_("調査期間（終了）"), null=True, blank=True)
    sample_design = models.TextField(_("標本設計"), blank=True)
    sample_size = models.PositiveIntegerField(_("発送数"), null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("調査")
        verbose_name_plural = _("調査")
        ordering: ClassVar = ["-fiscal_year", "-wave"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["fiscal_year", "wave"], name="survey_year_wave"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def label(self) -> str:
        if self.wave > 1:
            return gettext("%(year)s年度（第%(wave)s回）") % {
                "year": self.fiscal_year,
                "wave": self.wave,
            }
        return gettext("%(year)s年度") % {"year": self.fiscal_year}


class Question(models.Model):
    """One item of a survey: the national questions word for word, then the ward's own."""

    class Source(models.TextChoices):
        # 内閣府「人々のつながりに関する基礎調査」, asked word for word.
        NATIONAL = "national", _("全国調査と同じ設問")
        # The ward's own item (demographics, contact, help-seeking, places).
        WARD = "ward", _("区独自の設問")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    column = models.CharField(_("列名"), max_length=40)
    text = models.TextField(_("設問文"))
    kind = models.CharField(_("形式"), max_length=10)
    choices = models.JSONField(_("選択肢"), default=list, blank=True)
    source = models.CharField(_("出典"), max_length=10, choices=Source.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering: ClassVar = ["survey", "order"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["survey", "column"], name="question_survey_column"),
        ]

    def __str__(self) -> str:
        return f"{self.column}: {self.text}"


class ImportStatus(models.TextChoices):
    # The file is stored and its columns read; the mapping is proposed.
    UPLOADED = "uploaded", _("列の対応づけ待ち")
    # Checked with the confirmed mapping; problems were found, nothing stored.
    INVALID = "invalid", _("確認で問題あり")
    # Checked with the confirmed mapping; ready to import.
    VALID = "valid", _("取り込み可能")
    # Being imported (one transaction).
    RUNNING = "running", _("取り込み中")
    # Imported: the survey's responses are this file's rows.
    IMPORTED = "imported", _("取り込み済み")
    # The file could not be read at all, or the import failed and was rolled back.
    FAILED = "failed", _("失敗")
    # Abandoned by staff; the stored file is deleted.
    DISCARDED = "discarded", _("取り消し")


class ResponseImport(models.Model):
    """One uploaded responses file on its way through mapping, checking and import."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to="surveys/imports/", blank=True)
    original_name = models.CharField(_("ファイル名"), max_length=255)
    file_kind = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(default=0)
    status = models.CharField(
        _("状態"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    columns = models.JSONField(default=list, blank=True)
    # A few values of each column, to help staff confirm the mapping; deleted with the file.
    samples = models.JSONField(default=dict, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    report = models.JSONField(default=dict, blank=True)
    accept_no_answer = models.BooleanField(default=False)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("回答の取り込み")
        verbose_name_plural = _("回答の取り込み")
        ordering: ClassVar = ["-created"]

    def __str__(self) -> str:
        return f"{self.survey} {self.original_name}"

    @property
    def percent_done(self) -> int:
        return 0 if not self.rows_total else min(100, 100 * self.rows_done // self.rows_total)


class Response(models.Model):
    """One respondent's answers, as codes. No name, address or registry number, ever."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    source_import = models.ForeignKey(
        ResponseImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    respondent_id = models.CharField(_("回答者ID"), max_length=64)
    age_band = models.CharField(_("年齢区分"), max_length=8, blank=True)
    sex = models.CharField(_("性別"), max_length=1, blank=True)
    town = models.CharField(_("町名"), max_length=40, blank=True)
    household = models.PositiveSmallIntegerField(_("世帯構成"), null=True, blank=True)
    direct = models.PositiveSmallIntegerField(null=True, blank=True)
    ucla1 = models.PositiveSmallIntegerField(null=True, blank=True)
    ucla2 = models.PositiveSmallIntegerField(null=True, blank=True)
    ucla3 = models.PositiveSmallIntegerField(null=True, blank=True)
    contact = models.PositiveSmallIntegerField(null=True, blank=True)
    help_seeking = models.PositiveSmallIntegerField(null=True, blank=True)
    # Codes of the multi-choice "places used" item, comma-separated ("2,4").
    places = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["survey", "respondent_id"], name="response_survey_respondent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.respondent_id}"


class Analysis(models.Model):
    """The scored and weighted results of a survey, kept until the next import."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="analysis")
    created = models.DateTimeField(default=timezone.now)
    respondents = models.PositiveIntegerField(default=0)
    weighted = models.BooleanField(default=False)
    # "registry" (住民基本台帳 from the people registry) or "file" (uploaded margins).
    margins_source = models.CharField(max_length=10, blank=True)
    margins = models.JSONField(default=dict, blank=True)
    weighting_note = models.TextField(blank=True)  # a code and numbers, see weighting_text
    # {"weighted": {answer: {"share": .., "n": ..}}, "unweighted": {...}}
    direct = models.JSONField(default=dict, blank=True)
    # The ward's own items: {column: {"question", "answered", "rows": [{label, n, share, weighted}]}}
    items = models.JSONField(default=dict, blank=True)
    min_cell = models.PositiveSmallIntegerField(default=5)

    class Meta:
        verbose_name = _("集計結果")
        verbose_name_plural = _("集計結果")

    def __str__(self) -> str:
        return f"{self.survey} ({self.created:%Y-%m-%d})"

    @property
    def weighting_text(self) -> str:
        """How the results were weighted, in the reader's language."""
        from tsunagari.surveys.tabulate import describe_weighting

        return describe_weighting(self.weighting_note)


class Estimate(models.Model):
    """One cell of the results: a measure in one level of one group, weighted or not."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="estimates")
    weighted = models.BooleanField()
    measure = models.CharField(max_length=20)
    group = models.CharField(max_length=20)
    level = models.CharField(max_length=40)
    order = models.PositiveIntegerField(default=0)
    n = models.PositiveIntegerField()
    estimate = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    suppressed = models.BooleanField()

    class Meta:
        ordering: ClassVar = ["analysis", "weighted", "measure", "order"]
        indexes: ClassVar = [models.Index(fields=["analysis", "measure", "group"])]

    def __str__(self) -> str:
        return f"{self.measure} {self.group}={self.level}"
