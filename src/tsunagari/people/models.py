"""Persons, households and the agencies that work with them."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.display import QuickChoiceDisplay


class Sex(models.TextChoices):
    # 男性
    MALE = "male", _("男性")
    # 女性
    FEMALE = "female", _("女性")
    # その他 (the national forms' third option)
    OTHER = "other", _("その他")
    # Not recorded or not answered.
    UNKNOWN = "", _("不明")


class Person(QuickChoiceDisplay, models.Model):
    """One real person as the ward knows them.

    The ``*_key`` columns are comparison keys from ``tsunagari.text``; they
    are what the look-up searches, so they are set by
    ``services.apply_person_fields`` and never typed by hand.
    """

    resident_id = models.CharField(_("宛名番号"), max_length=20, blank=True, db_index=True)
    surname = models.CharField(_("氏"), max_length=60)
    given_name = models.CharField(_("名"), max_length=60, blank=True)
    surname_kana = models.CharField(_("氏（カナ）"), max_length=60, blank=True)
    given_kana = models.CharField(_("名（カナ）"), max_length=60, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True, db_index=True)
    sex = models.CharField(_("性別"), max_length=10, choices=Sex.choices, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    phone = models.CharField(_("電話"), max_length=40, blank=True)
    # 閲覧制限 (DV, abuse): address and contact are shown only to designated staff.
    sealed = models.BooleanField(_("閲覧制限"), default=False)

    # Comparison keys. The look-up only ever asks for equality on these (an
    # "initial" is the first letter of the other name part), so every
    # candidate rule is an index seek on SQLite and PostgreSQL alike.
    name_key = models.CharField(max_length=120, blank=True, db_index=True)
    surname_key = models.CharField(max_length=60, blank=True)
    given_key = models.CharField(max_length=60, blank=True)
    kana_key = models.CharField(max_length=120, blank=True, db_index=True)
    surname_kana_key = models.CharField(max_length=60, blank=True)
    given_kana_key = models.CharField(max_length=60, blank=True)
    surname_kana_initial = models.CharField(max_length=2, blank=True)
    given_kana_initial = models.CharField(max_length=2, blank=True)
    town = models.CharField(max_length=40, blank=True)
    block_key = models.CharField(max_length=60, blank=True, db_index=True)
    address_key = models.CharField(max_length=120, blank=True, db_index=True)
    phone_digits = models.CharField(max_length=20, blank=True, db_index=True)

    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)
    # Optimistic lock: an edit saved against an older version is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("本人")
        verbose_name_plural = _("本人")
        indexes: ClassVar = [
            models.Index(
                fields=["surname_kana_key", "given_kana_initial"], name="person_kana_surname"
            ),
            models.Index(
                fields=["given_kana_key", "surname_kana_initial"], name="person_kana_given"
            ),
            models.Index(fields=["surname_key", "given_key"], name="person_name_parts"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.surname}\u3000{self.given_name}".strip()

    @property
    def full_kana(self) -> str:
        return f"{self.surname_kana}\u3000{self.given_kana}".strip()


class Household(models.Model):
    number = models.CharField(_("世帯番号"), max_length=20, blank=True, db_index=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")

    def __str__(self) -> str:
        return self.number or f"household {self.pk}"


class Membership(models.Model):
    """A person's place in a household; ended rows are the household's history."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("続柄"), max_length=30, blank=True)
    since = models.DateField(_("開始日"), default=timezone.localdate)
    until = models.DateField(_("終了日"), null=True, blank=True)

    class Meta:
        verbose_name = _("世帯員")
        verbose_name_plural = _("世帯員")
        indexes: ClassVar = [models.Index(fields=["person", "until"], name="membership_current")]

    def __str__(self) -> str:
        return f"{self.person_id}@{self.household_id} ({self.relation})"


class ChangeKind(models.TextChoices):
    # Surname or given name changed (marriage, adoption, correction).
    NAME = "name", _("氏名の変更")
    # Moved (a new address).
    MOVE = "move", _("転居")
    # Another recorded field was corrected.
    CORRECTION = "correction", _("訂正")


class PersonChange(QuickChoiceDisplay, models.Model):
    """Moves and name changes, kept so old records still find the person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("種類"), max_length=20, choices=ChangeKind.choices)
    field = models.CharField(_("項目"), max_length=40)
    old_value = models.CharField(_("変更前"), max_length=300, blank=True)
    new_value = models.CharField(_("変更後"), max_length=300, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now)
    by = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(_("出典"), max_length=60, blank=True)

    class Meta:
        ordering: ClassVar = ["-at"]
        verbose_name = _("変更履歴")
        verbose_name_plural = _("変更履歴")

    def __str__(self) -> str:
        return f"{self.person_id} {self.field}: {self.old_value} → {self.new_value}"


class LinkBasis(models.TextChoices):
    # The agency supports the person on an open case or consultation.
    CASE = "case", _("支援中")
    # The person consented to share with this agency (本人同意).
    CONSENT = "consent", _("本人同意")
    # Shared under a support meeting (支援会議, Social Welfare Act art. 106-6).
    SUPPORT_MEETING = "support_meeting", _("支援会議")
    # The agency holds the person's records for a service it provides.
    SERVICE = "service", _("サービス提供")
    # Provisional: the person came to the agency themself and their identity
    # was confirmed there (break-the-glass); ends unless confirmed.
    AT_DESK = "at_desk", _("本人来所（仮）")


class AgencyLink(QuickChoiceDisplay, models.Model):
    """An agency entitled to see a person, and on what basis.

    Consultations, cases, consents and support meetings create and end these
    links; the policy layer reads them (``people.access``).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="agency_links")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="person_links")
    basis = models.CharField(_("根拠"), max_length=20, choices=LinkBasis.choices)
    since = models.DateField(_("開始日"), default=timezone.localdate)
    until = models.DateField(_("終了日"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("関係機関との関わり")
        verbose_name_plural = _("関係機関との関わり")
        indexes: ClassVar = [
            models.Index(fields=["agency", "person"], name="agencylink_agency_person")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.person_id} ({self.basis})"


class IdentityCheck(models.TextChoices):
    # An identity document was seen (マイナンバーカード, 運転免許証, 保険証 …).
    DOCUMENT = "document", _("本人確認書類を確認した")
    # A member of staff knows the person.
    KNOWN = "known", _("職員が本人を知っている")
    # The person answered questions only they could (birth date, household).
    QUESTIONS = "questions", _("登録内容の質問で確認した")
    # Another way, described in the note.
    OTHER = "other", _("その他（備考に記入）")


class OpeningStatus(models.TextChoices):
    # Open for a few days; ends by itself unless confirmed.
    PROVISIONAL = "provisional", _("仮（確認待ち）")
    # The agency's supervisor confirmed it: the agency supports the person.
    CONFIRMED = "confirmed", _("確認済み")
    # The supervisor ended it: the opening was not justified or is no longer needed.
    REVOKED = "revoked", _("取り消し")


class AccessOpening(QuickChoiceDisplay, models.Model):
    """Break-the-glass: a record opened because the person is at the desk.

    The worker records how the person's identity was confirmed; the access
    is provisional (``until``) and appears on the agency supervisor's review
    list until confirmed or revoked. A sealed person is never opened this way.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="openings")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    opened_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    identity_check = models.CharField(
        _("本人確認の方法"), max_length=20, choices=IdentityCheck.choices
    )
    identity_note = models.CharField(_("本人確認の備考"), max_length=200, blank=True)
    source = models.CharField(_("きっかけ"), max_length=64)
    until = models.DateField(_("仮の閲覧の期限"))
    status = models.CharField(
        _("状態"), max_length=20, choices=OpeningStatus.choices, default=OpeningStatus.PROVISIONAL
    )
    reviewed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    review_note = models.CharField(_("確認の備考"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["-opened_at", "-pk"]
        verbose_name = _("本人来所による閲覧")
        verbose_name_plural = _("本人来所による閲覧")

    def __str__(self) -> str:
        return f"opening {self.pk}: {self.agency_id} → {self.person_id} ({self.status})"
