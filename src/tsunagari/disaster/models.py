"""The evacuation-support roster (避難行動要支援者名簿), its rules and data,
consent, recipients and releases, individual plans, disaster mode and safety
checks (Disaster Countermeasures Basic Act arts. 49-10 to 49-14)."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import Person


class InclusionRule(models.Model):
    """One inclusion rule, as officers edit it (see rules.yaml for the starting set)."""

    code = models.SlugField(_("記号"), max_length=40, unique=True)
    label = models.CharField(_("名簿に載せる理由"), max_length=100)
    source = models.CharField(_("データ元"), max_length=40)
    attributes = models.JSONField(_("項目と値"), default=dict, blank=True)
    min_age = models.PositiveSmallIntegerField(_("年齢（以上）"), null=True, blank=True)
    living_alone = models.BooleanField(_("一人暮らし"), default=False)
    active = models.BooleanField(_("使用中"), default=True)
    order = models.PositiveSmallIntegerField(default=0)
    updated_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["order", "code"]
        verbose_name = _("名簿の掲載基準")
        verbose_name_plural = _("名簿の掲載基準")

    def __str__(self) -> str:
        return self.label


class FactLoad(models.Model):
    """One department extract loaded for the roster: which rows matched a person.

    Only the columns the rules read are kept (``DepartmentFact``); the load
    replaces the earlier load of the same source.
    """

    source = models.CharField(_("データ元"), max_length=40, db_index=True)
    file_name = models.CharField(_("ファイル名"), max_length=200)
    columns = models.JSONField(_("ファイルの項目"), default=list)
    kept = models.JSONField(_("保存した項目"), default=list)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    matched = models.PositiveIntegerField(_("本人と結び付いた行"), default=0)
    unmatched_rows = models.JSONField(_("結び付かなかった行"), default=list)
    loaded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(_("取込日時"), default=timezone.now)
    current = models.BooleanField(default=True)

    class Meta:
        ordering: ClassVar = ["-loaded_at", "-pk"]
        verbose_name = _("名簿用のデータ取込")
        verbose_name_plural = _("名簿用のデータ取込")

    def __str__(self) -> str:
        return f"{self.source} {self.loaded_at:%Y-%m-%d}"


class DepartmentFact(models.Model):
    """A department record of a person, reduced to the columns the rules read."""

    load = models.ForeignKey(FactLoad, on_delete=models.CASCADE, related_name="facts")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=40)
    attributes = models.JSONField(default=dict)

    class Meta:
        indexes: ClassVar = [models.Index(fields=["source", "person"], name="deptfact_src_person")]

    def __str__(self) -> str:
        return f"{self.source}:{self.person_id}"


class ConsentStatus(models.TextChoices):
    # Not asked yet: the consent letter is still to be sent.
    NOT_ASKED = "not_asked", _("未確認")
    # The person agreed to share their entry before a disaster.
    AGREED = "agreed", _("同意")
    # The person refused: never released before a disaster.
    REFUSED = "refused", _("不同意")
    # The ward's ordinance presumes consent (the person was told and did not object).
    PRESUMED = "presumed", _("条例による同意推定")
    # Under the ordinance, the person asked not to be shared (opt-out).
    OPTED_OUT = "opted_out", _("提供拒否の申出（オプトアウト）")


#: Consent states that allow a release before a disaster.
RELEASABLE = frozenset({ConsentStatus.AGREED, ConsentStatus.PRESUMED})


class RosterEntry(models.Model):
    """A person on (or once on) the roster, with why, and their consent now."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="roster_entry")
    on_roster = models.BooleanField(_("掲載中"), default=True, db_index=True)
    # Rule codes that matched at the last rebuild; "manual" for a hand addition.
    reasons = models.JSONField(_("避難支援等を必要とする事由"), default=list)
    reason_labels = models.JSONField(default=list)
    since = models.DateTimeField(_("掲載日時"), default=timezone.now)
    removed_at = models.DateTimeField(_("削除日時"), null=True, blank=True)
    consent = models.CharField(
        _("提供への同意"),
        max_length=20,
        choices=ConsentStatus.choices,
        default=ConsentStatus.NOT_ASKED,
        db_index=True,
    )
    consent_on = models.DateField(_("同意の日付"), null=True, blank=True)
    consent_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    letter_sent_on = models.DateField(_("同意確認の文書の発送日"), null=True, blank=True)

    class Meta:
        verbose_name = _("名簿の掲載者")
        verbose_name_plural = _("名簿の掲載者")

    def __str__(self) -> str:
        return f"roster:{self.person_id}"

    @property
    def releasable(self) -> bool:
        return self.on_roster and self.consent in RELEASABLE


class ManualDecision(models.Model):
    """A person put on or kept off the roster by hand, with the reason; in
    force until ended (by whom, when, why)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("理由"), max_length=300)
    added_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("追加日時"), default=timezone.now)
    ended_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_reason = models.CharField(_("終了の理由"), max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering: ClassVar = ["-added_at"]


class ManualInclusion(ManualDecision):
    """A person added to the roster by hand, with the reason; ends when removed."""

    class Meta(ManualDecision.Meta):
        verbose_name = _("手動での名簿への追加")
        verbose_name_plural = _("手動での名簿への追加")

    def __str__(self) -> str:
        return f"manual:{self.person_id}"


class ManualExclusion(ManualDecision):
    """A person kept off the roster by hand although a rule matches them (e.g.
    living in a care facility that evacuates its residents), with the reason."""

    added_at = models.DateTimeField(_("除外日時"), default=timezone.now)

    class Meta(ManualDecision.Meta):
        verbose_name = _("手動での名簿からの除外")
        verbose_name_plural = _("手動での名簿からの除外")

    def __str__(self) -> str:
        return f"excluded:{self.person_id}"


class RosterRebuild(models.Model):
    """One rebuild: who was added and removed and why, and how each rule fared."""

    at = models.DateTimeField(_("日時"), default=timezone.now)
    by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [{"person": id, "reasons": [labels]}]
    added = models.JSONField(default=list)
    # [{"person": id, "reasons": [labels they had], "why": text}]
    removed = models.JSONField(default=list)
    # [{"person": id, "reasons": [labels], "why": text}]: kept because a rule could not run
    kept = models.JSONField(default=list)
    unchanged = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # [{"code", "label", "evaluated", "problem", "matched", "undecided"}]
    rules = models.JSONField(default=list)

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]
        verbose_name = _("名簿の更新")
        verbose_name_plural = _("名簿の更新")

    def __str__(self) -> str:
        return f"rebuild {self.pk}"


class RosterConsent(models.Model):
    """The history of a person's consent (the entry holds the current state)."""

    entry = models.ForeignKey(RosterEntry, on_delete=models.CASCADE, related_name="consents")
    status = models.CharField(_("同意の状況"), max_length=20, choices=ConsentStatus.choices)
    on = models.DateField(_("日付"))
    note = models.CharField(_("備考"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-recorded_at", "-pk"]
        verbose_name = _("名簿情報の提供への同意")
        verbose_name_plural = _("名簿情報の提供への同意")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.status}"


class RecipientKind(models.TextChoices):
    # 町会・自治会 and their 自主防災組織.
    NEIGHBOURHOOD = "neighbourhood", _("町会・自治会（自主防災組織）")
    # 民生委員・児童委員.
    COMMISSIONER = "commissioner", _("民生委員・児童委員")
    # 消防署・消防団.
    FIRE = "fire", _("消防署・消防団")
    # 警察署.
    POLICE = "police", _("警察署")
    # 社会福祉協議会.
    WELFARE_COUNCIL = "welfare_council", _("社会福祉協議会")
    # Care managers, care providers and other bodies the ward names.
    OTHER = "other", _("その他の避難支援等関係者")


class Recipient(models.Model):
    """A body that receives roster entries (避難支援等関係者) for the towns it covers."""

    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("種類"), max_length=20, choices=RecipientKind.choices)
    towns = models.JSONField(_("担当する町"), default=list)
    contact = models.CharField(_("連絡先"), max_length=200, blank=True)
    # Staff of this agency record safety checks for the recipient.
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Receives the roster without consent in disaster mode.
    designated = models.BooleanField(_("災害時の提供先に指定"), default=True)
    active = models.BooleanField(_("有効"), default=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["kind", "name"]
        verbose_name = _("避難支援等関係者")
        verbose_name_plural = _("避難支援等関係者")

    def __str__(self) -> str:
        return self.name


class ReleaseMode(models.TextChoices):
    # Before a disaster: only people who consented (or are presumed to).
    ORDINARY = "ordinary", _("平常時（同意に基づく提供）")
    # Disaster mode: without consent, as far as needed to protect life.
    DISASTER = "disaster", _("災害時（同意なしの提供）")


class Release(models.Model):
    """What went to whom: every release of roster entries, kept for follow-up."""

    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="releases")
    mode = models.CharField(_("提供の区分"), max_length=20, choices=ReleaseMode.choices)
    declaration = models.ForeignKey(
        "Declaration", null=True, blank=True, on_delete=models.PROTECT, related_name="releases"
    )
    at = models.DateTimeField(_("提供日時"), default=timezone.now)
    by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_format = models.CharField(_("形式"), max_length=10)
    persons = models.JSONField(_("提供した人"), default=list)
    # Of ``persons``, those without consent (released only in disaster mode).
    without_consent = models.JSONField(default=list)
    plans = models.JSONField(_("提供した個別避難計画"), default=list)
    sealed_withheld = models.PositiveIntegerField(_("区が直接対応する人数"), default=0)
    towns = models.JSONField(default=list)
    digest = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]
        verbose_name = _("名簿情報の提供")
        verbose_name_plural = _("名簿情報の提供")

    def __str__(self) -> str:
        return f"release {self.pk} → {self.recipient_id}"


class PlanStatus(models.TextChoices):
    # Being made with the person and helpers.
    DRAFT = "draft", _("作成中")
    # Made and agreed with the person.
    DONE = "done", _("作成済み")


class EvacuationPlan(models.Model):
    """An individual evacuation plan (個別避難計画, art. 49-14), made with consent."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("状況"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # [{"name", "address", "phone", "relation"}]
    helpers = models.JSONField(_("避難支援等実施者"), default=list)
    place = models.CharField(_("避難先"), max_length=200, blank=True)
    route = models.TextField(_("避難経路"), blank=True)
    medication = models.CharField(_("服薬"), max_length=300, blank=True)
    equipment = models.CharField(_("医療機器・補装具"), max_length=300, blank=True)
    mobility = models.CharField(_("移動の支援"), max_length=300, blank=True)
    communication = models.CharField(_("意思疎通の配慮"), max_length=300, blank=True)
    family_contact = models.CharField(_("緊急連絡先（家族）"), max_length=200, blank=True)
    consent_on = models.DateField(_("計画への同意日"))
    made_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("個別避難計画")
        verbose_name_plural = _("個別避難計画")

    def __str__(self) -> str:
        return f"plan:{self.person_id}"


class AreaPriority(models.Model):
    """How soon a town's plans should be made (1 = first: zero-metre zones)."""

    town = models.CharField(_("町名"), max_length=40, unique=True)
    priority = models.PositiveSmallIntegerField(_("優先度"), default=3)

    class Meta:
        ordering: ClassVar = ["priority", "town"]
        verbose_name = _("地域の優先度")
        verbose_name_plural = _("地域の優先度")

    def __str__(self) -> str:
        return f"{self.town} ({self.priority})"


class Declaration(models.Model):
    """Disaster mode for named towns: the roster goes to designated recipients
    without consent until it is ended or ``ends_at`` passes."""

    towns = models.JSONField(_("対象の町"), default=list)
    reason = models.CharField(_("理由"), max_length=300)
    declared_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+", null=True)
    declared_at = models.DateTimeField(_("発令日時"), default=timezone.now)
    ends_at = models.DateTimeField(_("自動終了の日時"))
    ended_at = models.DateTimeField(_("終了日時"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    end_note = models.CharField(_("終了の理由"), max_length=300, blank=True)

    class Meta:
        ordering: ClassVar = ["-declared_at", "-pk"]
        verbose_name = _("災害時の名簿提供の発令")
        verbose_name_plural = _("災害時の名簿提供の発令")

    def __str__(self) -> str:
        return f"declaration {self.pk}"

    def is_active(self, at: object) -> bool:
        return self.ended_at is None and self.ends_at > at  # type: ignore[operator]


class SafetyStatus(models.TextChoices):
    # 無事: safe where they are.
    SAFE = "safe", _("無事")
    # 避難済み: has evacuated.
    EVACUATED = "evacuated", _("避難済み")
    # 要支援: needs help now.
    NEEDS_HELP = "needs_help", _("支援が必要")
    # 連絡つかず: could not be reached.
    NOT_REACHED = "not_reached", _("連絡がつかない")


class SafetyCheck(models.Model):
    """One safety check (安否確認) of a person during a declaration; the latest counts."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="checks")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(_("安否"), max_length=20, choices=SafetyStatus.choices)
    note = models.CharField(_("メモ"), max_length=200, blank=True)
    recipient = models.ForeignKey(
        Recipient, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("記録日時"), default=timezone.now)

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]
        indexes: ClassVar = [
            models.Index(fields=["declaration", "person", "at"], name="safety_decl_person")
        ]
        verbose_name = _("安否確認")
        verbose_name_plural = _("安否確認")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.status}"
