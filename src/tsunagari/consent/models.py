"""Consent records (本人同意) and support-meeting decisions (支援会議).

Both are the legal bases on which agencies other than the one a person came
to may see the person. Each record creates ``people.AgencyLink`` rows for
the agencies it names (see ``consent.services``), so the rest of the system
learns who may see the person from the links alone.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import Person


class ConsentForm(models.TextChoices):
    # 同意あり: the person agreed to share with the named agencies.
    WITH_CONSENT = "with", _("同意あり")
    # 同意なし: the person was asked and did not agree; a dated record of that.
    WITHOUT_CONSENT = "without", _("同意なし")


class InfoCategory(models.TextChoices):
    # Name, reading, birth date, sex, address, phone.
    BASIC = "basic", _("基本情報（氏名・生年月日・連絡先）")
    # What the person consulted about.
    CONSULTATION = "consultation", _("相談の内容")
    # Health, disability and care.
    HEALTH = "health", _("健康・障害・介護")
    # Income, debts, benefits and housing costs.
    MONEY = "money", _("収入・債務・住まい")
    # Family and household situation.
    FAMILY = "family", _("家族・世帯の状況")
    # Support given so far and its plan.
    SUPPORT = "support", _("支援の経過・計画")


class WithdrawalChannel(models.TextChoices):
    # The person said it in person at an agency's desk.
    DESK = "desk", _("窓口で")
    # The person said it by phone.
    PHONE = "phone", _("電話で")
    # The person wrote it (a letter, a withdrawal form).
    WRITING = "writing", _("書面で")
    # The person told another agency, which passed it on.
    OTHER_AGENCY = "other_agency", _("他の機関を通じて")


class MemberAgreement(models.TextChoices):
    # The household member agreed themselves.
    SELF = "self", _("本人が同意")
    # Someone agreed on the member's behalf (a child, a person who cannot decide).
    PROXY = "proxy", _("代理人が同意")
    # The member was asked and did not agree: recorded, not covered.
    NOT_AGREED = "not_agreed", _("同意しなかった")


class ProxyBasis(models.TextChoices):
    # A parent with parental authority, for a child under 18.
    PARENT = "parent", _("親権者（18歳未満の子）")
    # A court-appointed guardian, curator or assistant (成年後見制度).
    GUARDIAN = "guardian", _("成年後見人・保佐人・補助人")
    # Another basis, written out in the note.
    OTHER = "other", _("その他（根拠を記載）")


class Consent(models.Model):
    """One dated answer of a person about sharing, with its scope.

    A consent may also cover members of the person's household it names
    (``ConsentMember``), each with their own agreement; it opens a member's
    record only if they (or someone on their behalf) agreed.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    form = models.CharField(_("様式"), max_length=10, choices=ConsentForm.choices)
    given_on = models.DateField(_("同意日"))
    expires_on = models.DateField(_("有効期限"), null=True, blank=True)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("共有先の機関"), blank=True, related_name="+"
    )
    categories = models.JSONField(_("共有する情報"), default=list, blank=True)
    note = models.CharField(_("備考"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(Staff, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_agency = models.ForeignKey(
        Agency, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now)
    withdrawn_on = models.DateField(_("撤回日"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回の記録日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_note = models.CharField(_("撤回の備考"), max_length=500, blank=True)
    # The withdrawal is the person's statement: when they said it, how, and to
    # whom. Any agency the person told records it; ``withdrawn_on`` stays the
    # day the withdrawal took effect in the system (links end at once).
    withdrawal_said_on = models.DateField(_("本人が撤回を伝えた日"), null=True, blank=True)
    withdrawal_channel = models.CharField(
        _("撤回の伝え方"), max_length=20, choices=WithdrawalChannel.choices, blank=True
    )
    withdrawal_told_to = models.CharField(_("撤回を聞いた人"), max_length=100, blank=True)
    withdrawn_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-given_on", "-pk"]
        verbose_name = _("本人同意")
        verbose_name_plural = _("本人同意")

    def __str__(self) -> str:
        return f"consent {self.pk} ({self.form}) for person {self.person_id}"

    def in_force(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.form == ConsentForm.WITH_CONSENT
            and self.withdrawn_on is None
            and self.given_on <= today
            and (self.expires_on is None or self.expires_on >= today)
        )

    @property
    def state_label(self) -> str:
        if self.form == ConsentForm.WITHOUT_CONSENT:
            return str(_("同意なし"))
        if self.withdrawn_on is not None:
            return str(_("撤回済み"))
        if self.expires_on is not None and self.expires_on < timezone.localdate():
            return str(_("期限切れ"))
        return str(_("有効"))

    @property
    def category_labels(self) -> list[str]:
        labels = dict(InfoCategory.choices)
        return [str(labels.get(c, c)) for c in self.categories or []]


class ConsentMember(models.Model):
    """A household member a consent names, and that member's own answer.

    A consent is a person's own statement: the member is covered only if
    they agreed themselves or someone agreed on their behalf on a stated
    basis. Each member withdraws for themselves; their withdrawal ends only
    their own coverage (``withdrawn_*`` here, not on the consent).
    """

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("続柄"), max_length=30, blank=True)
    agreement = models.CharField(_("本人の同意"), max_length=12, choices=MemberAgreement.choices)
    proxy_name = models.CharField(_("代わりに同意した人"), max_length=100, blank=True)
    proxy_basis = models.CharField(
        _("代理の根拠"), max_length=12, choices=ProxyBasis.choices, blank=True
    )
    proxy_note = models.CharField(_("代理の根拠の説明"), max_length=200, blank=True)
    withdrawn_on = models.DateField(_("撤回日"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回の記録日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_said_on = models.DateField(_("本人が撤回を伝えた日"), null=True, blank=True)
    withdrawal_channel = models.CharField(
        _("撤回の伝え方"), max_length=20, choices=WithdrawalChannel.choices, blank=True
    )
    withdrawal_told_to = models.CharField(_("撤回を聞いた人"), max_length=100, blank=True)
    withdrawal_note = models.CharField(_("撤回の備考"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["consent", "person"], name="consent_member_once")
        ]
        verbose_name = _("同意の対象となる世帯員")
        verbose_name_plural = _("同意の対象となる世帯員")

    def __str__(self) -> str:
        return f"member {self.person_id} of consent {self.consent_id} ({self.agreement})"

    @property
    def agreed(self) -> bool:
        return self.agreement in (MemberAgreement.SELF, MemberAgreement.PROXY)

    def in_force(self, today: date | None = None) -> bool:
        """Covered today: agreed, not withdrawn by the member, the consent in date.

        The main person's own withdrawal does not end a member's coverage
        (each statement is the speaker's); the consent's expiry does.
        """
        today = today or timezone.localdate()
        consent = self.consent
        return (
            self.agreed
            and self.withdrawn_on is None
            and consent.form == ConsentForm.WITH_CONSENT
            and consent.given_on <= today
            and (consent.expires_on is None or consent.expires_on >= today)
        )


class WithdrawalSeen(models.Model):
    """An agency concerned by a withdrawal (it recorded or was named in the
    consent) has seen the notice on its worklist."""

    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="withdrawal_seen")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    seen_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    seen_at = models.DateTimeField(_("確認日時"), default=timezone.now)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["consent", "agency"], name="withdrawal_seen_once")
        ]
        verbose_name = _("撤回の確認")
        verbose_name_plural = _("撤回の確認")

    def __str__(self) -> str:
        return f"withdrawal of consent {self.consent_id} seen by agency {self.agency_id}"


class DecisionStatus(models.TextChoices):
    # Recorded by one member agency; nobody gains access until another member
    # agency (or the ward's coordinating supervisor) confirms it.
    PENDING = "pending", _("確認待ち")
    # Confirmed by a second agency: the member agencies are linked to the person.
    CONFIRMED = "confirmed", _("確定")
    # Turned down with a reason; it never opened anything.
    REJECTED = "rejected", _("差し戻し")


class SupportMeeting(models.Model):
    """The ward's decision to handle a person under 支援会議 (Social Welfare Act 106-6).

    Members share information without the person's consent and bear a legal
    duty of confidentiality. Who decided, when, and why is kept here. The
    decision takes four eyes: one member records it, and it opens access only
    once a second agency confirms it (see ``consent.services``).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="support_meetings")
    decided_on = models.DateField(_("決定日"))
    decided_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("記録日時"), default=timezone.now)
    recorded_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agencies = models.ManyToManyField(Agency, verbose_name=_("構成機関"), related_name="+")
    reason = models.CharField(_("理由"), max_length=500)
    status = models.CharField(
        _("状態"), max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    confirmed_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    rejected_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejected_at = models.DateTimeField(_("差し戻し日時"), null=True, blank=True)
    rejection_reason = models.CharField(_("差し戻しの理由"), max_length=500, blank=True)
    ended_on = models.DateField(_("終了日"), null=True, blank=True)
    ended_by = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    end_reason = models.CharField(_("終了の理由"), max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["-decided_on", "-pk"]
        verbose_name = _("支援会議")
        verbose_name_plural = _("支援会議")

    def __str__(self) -> str:
        return f"support meeting {self.pk} for person {self.person_id}"

    @property
    def active(self) -> bool:
        """Confirmed and not ended: the only state in which it grants anything."""
        return self.status == DecisionStatus.CONFIRMED and self.ended_on is None

    @property
    def pending(self) -> bool:
        return self.status == DecisionStatus.PENDING


class SupportMeetingMember(models.Model):
    """A household member a 支援会議 decision also concerns (no consent needed).

    Confirmation by a second agency opens them with the person; the
    meeting's end closes them with the person.
    """

    meeting = models.ForeignKey(SupportMeeting, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("続柄"), max_length=30, blank=True)

    class Meta:
        ordering: ClassVar = ["pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["meeting", "person"], name="meeting_member_once")
        ]
        verbose_name = _("支援会議の対象となる世帯員")
        verbose_name_plural = _("支援会議の対象となる世帯員")

    def __str__(self) -> str:
        return f"member {self.person_id} of support meeting {self.meeting_id}"
