"""Named domain events: what happened to a consultation, consent, support
meeting, need, opening or person, when, by whom. Timelines are read from
these (a referral's own steps are ``consultations.ReferralEvent``).

The audit log says who *looked at* or changed what, for accountability; an
event says what *happened* in a person's support, for the people working
with them. Both are written by the same action, in the same transaction.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagari.accounts.models import Agency, Staff
from tsunagari.people.models import Person


class EventKind(models.TextChoices):
    # A consultation was saved as a draft (not yet a record of the front door).
    CONSULTATION_DRAFTED = "consultation.drafted", _("相談の下書き")
    # A consultation was recorded (受付済み).
    CONSULTATION_RECORDED = "consultation.recorded", _("相談の受付")
    # A recorded consultation was changed.
    CONSULTATION_CHANGED = "consultation.changed", _("相談の変更")
    # A need for multi-agency work or outreach was raised at intake.
    NEED_RAISED = "need.raised", _("多機関協働・アウトリーチへの依頼")
    # A coordinator or outreach worker took on a need.
    NEED_PICKED_UP = "need.picked_up", _("依頼への対応開始")
    # The person agreed to share with named agencies.
    CONSENT_GIVEN = "consent.given", _("本人同意の記録")
    # The person was asked and did not agree.
    CONSENT_REFUSED = "consent.refused", _("同意なしの記録")
    # The person withdrew a consent.
    CONSENT_WITHDRAWN = "consent.withdrawn", _("同意の撤回")
    # A support-meeting decision was recorded and awaits a second agency.
    MEETING_PROPOSED = "support_meeting.proposed", _("支援会議の決定（確認待ち）")
    # A second agency confirmed the decision: the members share from now on.
    MEETING_CONFIRMED = "support_meeting.confirmed", _("支援会議の決定の確認")
    # The decision was rejected before it opened anything.
    MEETING_REJECTED = "support_meeting.rejected", _("支援会議の決定の差し戻し")
    # The person's handling under the support meeting ended.
    MEETING_ENDED = "support_meeting.ended", _("支援会議での取り扱いの終了")
    # The record was opened provisionally because the person came to the desk.
    OPENED_AT_DESK = "access.opened_at_desk", _("本人来所による仮の閲覧")
    # The agency's supervisor confirmed an at-desk opening.
    OPENING_CONFIRMED = "access.opening_confirmed", _("本人来所による閲覧の確認")
    # The agency's supervisor revoked an at-desk opening.
    OPENING_REVOKED = "access.opening_revoked", _("本人来所による閲覧の取り消し")
    # The person was registered.
    PERSON_REGISTERED = "person.registered", _("本人の登録")
    # The person's recorded facts changed (name, address, correction).
    PERSON_CHANGED = "person.changed", _("本人の記録の変更")
    # The liaison council (孤独・孤立対策連携会議): a member organisation joined.
    COUNCIL_MEMBER_ADDED = "council.member_added", _("連携会議の構成団体の追加")
    # A council meeting was scheduled.
    COUNCIL_MEETING_SCHEDULED = "council.meeting_scheduled", _("連携会議の開催予定")
    # Minutes were written or rewritten (a new version).
    COUNCIL_MINUTES_RECORDED = "council.minutes_recorded", _("連携会議の議事録")
    # An action was assigned to a member organisation.
    COUNCIL_ACTION_ADDED = "council.action_added", _("連携会議の取り組み事項")
    # An action was completed.
    COUNCIL_ACTION_DONE = "council.action_done", _("連携会議の取り組み事項の完了")
    # A paper was shared with the council.
    COUNCIL_DOCUMENT_SHARED = "council.document_shared", _("連携会議の資料の共有")
    # A shared paper was removed.
    COUNCIL_DOCUMENT_REMOVED = "council.document_removed", _("連携会議の資料の削除")
    # A loneliness survey round was defined.
    SURVEY_DEFINED = "survey.defined", _("実態調査の登録")
    # A responses file was uploaded and checked (not yet imported).
    SURVEY_FILE_UPLOADED = "survey.file_uploaded", _("調査回答ファイルの受付")
    # Responses were imported.
    SURVEY_RESPONSES_IMPORTED = "survey.responses_imported", _("調査回答の取り込み")
    # An uploaded file was discarded before import.
    SURVEY_FILE_DISCARDED = "survey.file_discarded", _("調査回答ファイルの破棄")
    # Results were weighted and estimated.
    SURVEY_ANALYSED = "survey.analysed", _("調査結果の集計")
    # A linkage run was started from extracts.
    LINKAGE_RUN_STARTED = "linkage.run_started", _("データ連携の開始")
    # A linkage run finished (or failed).
    LINKAGE_RUN_FINISHED = "linkage.run_finished", _("データ連携の終了")
    # The legal basis for reading a department's extract was recorded.
    LINKAGE_BASIS_RECORDED = "linkage.basis_recorded", _("データ連携の根拠の記録")
    # Two department records were decided to be (or not be) one person.
    LINKAGE_PAIR_DECIDED = "linkage.pair_decided", _("同一人物の判断")
    # Designated staff decided on an early-detection candidate.
    LINKAGE_CANDIDATE_DECIDED = "linkage.candidate_decided", _("早期把握の候補の判断")
    # A directory entry was created or changed.
    DIRECTORY_ENTRY_CHANGED = "directory.entry_changed", _("地域資源の登録・変更")
    # A directory entry was verified.
    DIRECTORY_ENTRY_VERIFIED = "directory.entry_verified", _("地域資源の確認")
    # A directory file (HSDS) was imported.
    DIRECTORY_IMPORTED = "directory.imported", _("地域資源の取り込み")
    # A multi-agency case was opened from a picked-up need.
    CASE_OPENED = "case.opened", _("多機関協働の事例の開始")
    # The case moved one stage forward or back.
    CASE_STAGE_MOVED = "case.stage_moved", _("事例の段階の変更")
    # An agency joined the case's team.
    CASE_AGENCY_ADDED = "case.agency_added", _("事例のチームへの機関の追加")
    # The case's information-sharing regime changed.
    CASE_REGIME_CHANGED = "case.regime_changed", _("事例の情報共有の根拠の変更")
    # The case was closed (終結) with a reason.
    CASE_CLOSED = "case.closed", _("事例の終結")
    # The case was suspended (中断) with a reason.
    CASE_SUSPENDED = "case.suspended", _("事例の中断")
    # A closed or suspended case was reopened.
    CASE_REOPENED = "case.reopened", _("事例の再開")


class DomainEvent(models.Model):
    kind = models.CharField(_("出来事"), max_length=40, choices=EventKind.choices, db_index=True)
    object_type = models.CharField(_("対象の種類"), max_length=64)
    object_id = models.CharField(_("対象ID"), max_length=64)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        verbose_name = _("経過")
        verbose_name_plural = _("経過")
        indexes: ClassVar = [
            models.Index(fields=["object_type", "object_id"], name="event_object"),
            models.Index(fields=["person", "at"], name="event_person_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_id}"
