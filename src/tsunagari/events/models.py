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
    # A needs assessment (アセスメント) of the case was recorded.
    CASE_ASSESSED = "case.assessed", _("事例のアセスメント")
    # The shared support plan (支援プラン) was agreed or revised.
    CASE_PLAN_AGREED = "case.plan_agreed", _("支援プランの合意")
    # A case conference (支援会議・重層的支援会議) was held.
    CASE_CONFERENCE_HELD = "case.conference_held", _("事例の会議の開催")
    # The plan's progress was reviewed (モニタリング).
    CASE_MONITORED = "case.monitored", _("事例のモニタリング")
    # A member agency confirmed its confidentiality duty (守秘義務の確認).
    CASE_CONFIDENTIALITY_CONFIRMED = "case.confidentiality", _("守秘義務の確認")
    # Outreach: a target was added (from a candidate, need, consultation or tip).
    OUTREACH_TARGET_ADDED = "outreach.target_added", _("アウトリーチ対象の追加")
    # A tip about someone who may need a visit was received.
    OUTREACH_TIP_RECEIVED = "outreach.tip_received", _("気づきの連絡の受付")
    # A partly identified target was tied to a person.
    OUTREACH_TARGET_IDENTIFIED = "outreach.identified", _("アウトリーチ対象の本人確認")
    # The target moved to another state (trying, in contact, building trust).
    OUTREACH_STATE_CHANGED = "outreach.state_changed", _("アウトリーチの段階の変更")
    # A contact attempt or meeting was logged.
    OUTREACH_CONTACT_LOGGED = "outreach.contact_logged", _("訪問・連絡の記録")
    # A sign of immediate risk was escalated, with who was told.
    OUTREACH_RISK_ESCALATED = "outreach.risk_escalated", _("緊急性の高い兆候の報告")
    # The target was connected to an agency or a case, with a handover note.
    OUTREACH_CONNECTED = "outreach.connected", _("支援機関・事例へのつなぎ")
    # The target was paused with a date to look again.
    OUTREACH_PAUSED = "outreach.paused", _("アウトリーチの一時休止")
    # The target was closed with a reason.
    OUTREACH_CLOSED = "outreach.closed", _("アウトリーチの終了")
    # Participation: a person's profile (wishes, constraints, goals) was recorded.
    PARTICIPATION_PROFILE_RECORDED = "participation.profile", _("参加支援の本人の希望の記録")
    # A placement was proposed.
    PLACEMENT_PROPOSED = "participation.proposed", _("参加先の提案")
    # A placement moved (trial visit, participating).
    PLACEMENT_MOVED = "participation.moved", _("参加の段階の変更")
    # A placement settled (定着) or stopped with a reason.
    PLACEMENT_ENDED = "participation.ended", _("参加の定着・中止")
    # Support given to a host organisation (受入先支援) was recorded.
    HOST_SUPPORT_RECORDED = "participation.host_support", _("受入先への支援の記録")
    # A new opportunity was created with a host (メニュー創出).
    OPPORTUNITY_CREATED = "participation.opportunity", _("参加の場の創出")
    # Community: an activity or event was recorded or changed.
    COMMUNITY_ACTIVITY_CHANGED = "community.activity", _("地域の活動の登録・変更")
    # Attendance counts of a session were recorded.
    COMMUNITY_ATTENDANCE_RECORDED = "community.attendance", _("参加人数の記録")
    # Plan: the policy system was loaded for a plan period.
    PLAN_LOADED = "plan.loaded", _("計画の施策体系の読み込み")
    # A target for a fiscal year was set.
    PLAN_TARGET_SET = "plan.target_set", _("指標の目標値の設定")
    # A value was entered by hand with evidence.
    PLAN_VALUE_ENTERED = "plan.value_entered", _("指標の値の入力")
    # A direction's yearly evaluation was recorded (values frozen).
    PLAN_EVALUATED = "plan.evaluated", _("方向性の年次評価")
    # The plan committee commented on an evaluation.
    PLAN_COMMITTEE_COMMENTED = "plan.committee", _("計画推進委員会の意見")
    # Disaster: the roster was rebuilt from its rules.
    ROSTER_REBUILT = "roster.rebuilt", _("避難行動要支援者名簿の更新")
    # A person was added to or removed from the roster by hand, with a reason.
    ROSTER_CHANGED_BY_HAND = "roster.by_hand", _("名簿への手動の追加・削除")
    # The person's consent to share the roster entry was recorded.
    ROSTER_CONSENT_RECORDED = "roster.consent", _("名簿情報の提供への同意の記録")
    # Roster entries were released to a recipient.
    ROSTER_RELEASED = "roster.released", _("名簿情報の提供")
    # An individual evacuation plan was made or changed.
    EVACUATION_PLAN_RECORDED = "roster.plan", _("個別避難計画の作成・変更")
    # Disaster mode was declared for named areas.
    DISASTER_DECLARED = "disaster.declared", _("災害時の名簿提供の発令")
    # Disaster mode ended.
    DISASTER_ENDED = "disaster.ended", _("災害時の名簿提供の終了")
    # A safety check (安否確認) was recorded.
    SAFETY_CHECKED = "disaster.safety_checked", _("安否確認の記録")
    # Safeguarding: a report of abuse or violence was received.
    SAFEGUARDING_REPORTED = "safeguarding.reported", _("虐待・暴力の通報・届出の受付")
    # A child's report was handed to the child and family support centre.
    SAFEGUARDING_HANDED_OVER = "safeguarding.handed_over", _("子ども家庭支援センター等への送致")
    # Safety was confirmed (安全確認).
    SAFEGUARDING_SAFETY_CONFIRMED = "safeguarding.safety", _("安全確認")
    # Fact finding (事実確認) was recorded.
    SAFEGUARDING_FACTS_FOUND = "safeguarding.facts", _("事実確認")
    # The core-member meeting (コアメンバー会議) decided.
    SAFEGUARDING_DECIDED = "safeguarding.decided", _("コアメンバー会議の判断")
    # A monitoring visit or review was recorded.
    SAFEGUARDING_MONITORED = "safeguarding.monitored", _("虐待対応のモニタリング")
    # A clock ran over and was escalated to the supervisor.
    SAFEGUARDING_ESCALATED = "safeguarding.escalated", _("期限超過の報告")
    # The report was closed.
    SAFEGUARDING_CLOSED = "safeguarding.closed", _("虐待対応の終結")
    # A decision to seal the person's address was recorded.
    SAFEGUARDING_SEALED = "safeguarding.sealed", _("住所等の閲覧制限の決定")
    # A safety plan was recorded or changed.
    SAFETY_PLAN_RECORDED = "safeguarding.safety_plan", _("安全計画の記録")
    # A step of rights advocacy (guardianship petition, subsidy, referral).
    ADVOCACY_STEP = "advocacy.step", _("権利擁護支援の手続き")
    # Cases: the lead worker (主担当) or an agency's worker was assigned.
    CASE_WORKER_ASSIGNED = "case.worker_assigned", _("事例の担当者の指定")
    # A case conference's minutes were written or corrected (a new version).
    CASE_CONFERENCE_MINUTES = "case.conference_minutes", _("事例の会議の議事録の記録")
    # A case conference assigned an action to a team agency, or the action was done.
    CASE_CONFERENCE_ACTION_ADDED = "case.conf_action_added", _("事例の会議で決めた行動の割り当て")
    CASE_CONFERENCE_ACTION_DONE = "case.conf_action_done", _("事例の会議で決めた行動の完了")
    # Participation: a follow-up of a placement was recorded.
    PLACEMENT_FOLLOWED_UP = "participation.followed_up", _("参加先での様子の確認")
    # Safeguarding: the person a report concerns was identified in the registry.
    SAFEGUARDING_PERSON_IDENTIFIED = "safeguarding.identified", _("通報の対象者の特定")
    # Disaster: an inclusion rule of the roster was changed.
    ROSTER_RULE_CHANGED = "roster.rule_changed", _("名簿の掲載基準の変更")
    # A recipient of the roster (避難支援等関係者) was added or changed.
    ROSTER_RECIPIENT_CHANGED = "roster.recipient_changed", _("名簿の提供先の登録・変更")
    # Plan: an indicator's baseline was set.
    PLAN_BASELINE_SET = "plan.baseline_set", _("指標の基準値の設定")
    # The plan was revised (a direction's indicators or targets changed mid-period).
    PLAN_REVISED = "plan.revised", _("計画の見直し")
    # Consumer protection (6-2): an alert about scams or consumer damage was issued.
    CONSUMER_ALERT_ISSUED = "consumer.alert_issued", _("消費者被害の注意情報の発信")
    # The alert was sent to the watch network of its areas.
    CONSUMER_ALERT_SENT = "consumer.alert_sent", _("見守りネットワークへの注意情報の送付")
    # A watch-network member confirmed receipt or reported the people reached.
    CONSUMER_ALERT_ACKNOWLEDGED = "consumer.alert_ack", _("注意情報の受領・声かけの報告")
    # A person at risk was given a visit task in outreach because of an alert.
    CONSUMER_VISIT_TASKED = "consumer.visit_tasked", _("注意情報による訪問の依頼")
    # An issued alert was withdrawn (issued by mistake or proved wrong) or ended.
    CONSUMER_ALERT_WITHDRAWN = "consumer.alert_withdrawn", _("注意情報の取り下げ")
    CONSUMER_ALERT_ENDED = "consumer.alert_ended", _("注意情報の終了")
    # Accessible places (7-1): a place's accessibility profile was recorded.
    ACCESSIBILITY_RECORDED = "barriers.accessibility", _("施設のバリアフリー情報の記録")
    # A resident reported a barrier.
    BARRIER_REPORTED = "barriers.reported", _("バリアの報告の受付")
    # A barrier report moved (assigned, in progress, resolved, not actionable).
    BARRIER_STATUS_CHANGED = "barriers.status", _("バリアの報告の対応状況の変更")
    # Workforce (9-1): a staff member's qualification was recorded.
    QUALIFICATION_RECORDED = "workforce.qualification", _("資格の記録")
    # A worker was added to the register, or marked as having left (or back).
    WORKER_REGISTERED = "workforce.worker_registered", _("職員の登録")
    WORKER_STATUS_CHANGED = "workforce.worker_status", _("職員の在籍状況の変更")
    # A training course and its attendance were recorded.
    TRAINING_RECORDED = "workforce.training", _("研修の受講の記録")
    # A supervision session was recorded.
    SUPERVISION_RECORDED = "workforce.supervision", _("スーパービジョンの記録")
    # Awareness (10-1): an awareness activity and its reach were recorded.
    AWARENESS_RECORDED = "awareness.recorded", _("啓発活動の記録")


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
