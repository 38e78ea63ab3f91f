"""Demo consumer protection for the synthetic ward, played through the actions at past moments.

Runs after the consultations, cases, linkage, directory and outreach demos.
The consumer centre persona writes and issues a handful of past alerts
(還付金詐欺 calls in the 砂町 towns, 点検商法 roofing in 大島, 架空請求 text
messages in the waterfront towns, a キャッシュカード詐欺盗 notice from the
police in 深川, one withdrawn, one still a draft); the watch network's staff
report the residents they spoke to; the outreach worker visits some of the
people the alerts asked about; and a front-door consultant refers a few
residents with the 消費者被害 area to the consumer centre. Deterministic from
the seed; a second run adds nothing.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tsunagari.accounts.models import Staff
from tsunagari.accounts.policy import Action, allowed
from tsunagari.consent.models import ConsentForm, InfoCategory
from tsunagari.consent.services import ConsentInput, record_consent
from tsunagari.consultations.intake import ConsultationInput
from tsunagari.consultations.services import ReferralError, save_consultation, send_referral
from tsunagari.consumer.models import Alert, AlertKind, AlertSource, Delivery, VisitTask
from tsunagari.consumer.services import (
    CONSUMER_CENTRE,
    AlertError,
    AlertInput,
    acknowledge,
    create_alert,
    end_alert,
    issue_alert,
    withdraw_alert,
)
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.outreach.services import ContactInput, log_contact
from tsunagari.people.models import AgencyLink, Person


@dataclass(frozen=True)
class _Script:
    days_ago: int
    kind: str
    title: str
    description: str
    advice: str
    areas: tuple[str, ...]
    station: str = ""
    # "issued", "ended" (after end_days), "withdrawn", or "draft"
    fate: str = "issued"
    end_days: int = 0


SCRIPTS = (
    _Script(
        95, AlertKind.SPECIAL_FRAUD, "還付金詐欺の電話が続いています（砂町地区）",
        "区役所や年金事務所の職員を名乗り「医療費の還付金があります。今日が期限です」と電話があり、"
        "近くのATMへ行くよう言われる被害が続いています。ATMの前で携帯電話の指示どおりに操作すると、"
        "お金が相手の口座へ振り込まれてしまいます。",
        "ATMでお金が戻ってくることはありません。電話で「還付金」「ATM」と言われたら、すぐに電話を切り、"
        "家族か消費者センター、警察（#9110）に相談してください。",
        ("北砂", "南砂", "東砂", "新砂"), station="城東警察署", fate="ended", end_days=45,
    ),
    _Script(
        60, AlertKind.INSPECTION, "屋根の無料点検をきっかけにした高額な工事契約（大島）",
        "「近くで工事をしている者です。お宅の屋根瓦がずれています。無料で点検します」と訪ねてきて、"
        "屋根に上がった後に壊れた瓦の写真を見せ、その場で高額な修理契約を迫る事例が相次いでいます。",
        "その場で契約しないでください。家に上げず、屋根にも上がらせないでください。契約してしまっても、"
        "8日以内ならクーリング・オフができます。消費者センターへご相談ください。",
        ("大島",),
    ),
    _Script(
        40, AlertKind.OTHER, "水道の点検を装う訪問（東陽）",
        "区の水道局を名乗る訪問が東陽であったとの情報です。",
        "区の職員が予告なく訪問して点検代を求めることはありません。",
        ("東陽",), fate="withdrawn",
    ),
    _Script(
        25, AlertKind.FAKE_BILLING, "有料サイトの未納料金を請求するショートメッセージ（臨海部）",
        "「有料動画の未納料金があります。本日中に連絡がない場合は法的手続きに移ります」というショート"
        "メッセージが届き、連絡するとコンビニで電子マネーを買うよう求められる相談が増えています。",
        "覚えのない請求には連絡しないでください。電子マネーで支払いを求めるのは詐欺です。"
        "不安なときは消費者センターへ。",
        ("豊洲", "東雲", "有明"),
    ),
    _Script(
        12, AlertKind.SPECIAL_FRAUD, "警察官を名乗りキャッシュカードをだまし取る手口（深川）",
        "警察官や銀行員を名乗り「あなたの口座が犯罪に使われています。カードを交換します」と電話があり、"
        "その後自宅に来た者がキャッシュカードをすり替えて持ち去る被害が出ています。",
        "警察官や銀行員がキャッシュカードや暗証番号を預かることはありません。電話でカードの話が出たら"
        "切って、110番か家族に知らせてください。",
        ("白河", "深川", "森下", "高橋", "常盤"), station="深川警察署",
    ),
    _Script(
        2, AlertKind.BAD_BUSINESS, "布団の訪問販売（亀戸）",
        "高齢の方の自宅に布団の訪問販売が繰り返し来ているとの相談がありました。",
        "必要のない契約はきっぱり断ってください。",
        ("亀戸",), fate="draft",
    ),
)  # fmt: skip

CONSUMER_NOTES = (
    "「還付金がある」との電話でATMへ行くよう言われた。操作の前に家族が気づいた。",
    "屋根の点検後に工事を契約してしまった。解約したい。",
    "身に覚えのない請求のはがきが届き、連絡先に電話してしまった。",
)


def _staff(username: str) -> Staff | None:
    return Staff.objects.filter(username=username, is_active=True).first()


def _network_staff(agency_id: int) -> Staff | None:
    for staff in Staff.objects.filter(agency_id=agency_id, is_active=True).order_by("username"):
        if allowed(staff, Action.VIEW_CONSUMER_ALERTS):
            return staff
    return None


def load_demo_consumer(seed: int) -> str:
    """Past alerts with their deliveries, reports, visits and referrals (idempotent)."""
    centre = _staff("consumer")
    if centre is None:
        return "no consumer alerts (no consumer centre staff)"
    titles = [s.title for s in SCRIPTS]
    if Alert.objects.filter(title__in=titles).exists():
        return f"consumer alerts already present ({Alert.objects.count()} alerts)"
    rng = random.Random(seed * 104729 + 62)
    now = clock.now()
    counts: Counter[str] = Counter()

    def at(moment: datetime) -> datetime:
        return min(moment, now - timedelta(minutes=5))

    outreach = _staff("outreach")
    for script in SCRIPTS:
        start = now - timedelta(days=script.days_ago)
        moment = at(start.replace(hour=10, minute=0))
        data = AlertInput(
            kind=script.kind, title=script.title, description=script.description,
            advice=script.advice,
            source=AlertSource.POLICE if script.station else AlertSource.CENTRE,
            police_station=script.station, areas=list(script.areas),
        )  # fmt: skip
        with clock.frozen(moment):
            alert = create_alert(centre, data)
        counts["alerts"] += 1
        if script.fate == "draft":
            continue
        with clock.frozen(at(moment + timedelta(hours=2))):
            issue_alert(centre, alert.pk)
        if script.fate == "withdrawn":
            with clock.frozen(at(moment + timedelta(hours=5))):
                withdraw_alert(centre, alert.pk, "他区の情報を誤って発信したため取り下げます。")
            continue
        for delivery in Delivery.objects.filter(alert=alert).order_by("pk"):
            staff = _network_staff(delivery.agency_id)
            if staff is None or rng.random() < 0.2:
                continue
            when = at(moment + timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 6)))
            with clock.frozen(when):
                acknowledge(staff, delivery.pk, rng.randint(4, 30),
                            rng.choice(["", "サロンで説明", "見守り訪問の際に声かけ"]))  # fmt: skip
            counts["reports"] += 1
        if outreach is not None:
            counts["visits met"] += _visit(outreach, alert, moment, rng, now)
        if script.fate == "ended":
            with clock.frozen(at(moment + timedelta(days=script.end_days))):
                end_alert(centre, alert.pk, "被害の連絡がおさまったため終了します。")
    counts["visit tasks"] = VisitTask.objects.count()
    counts["referrals"] = _referrals(rng, now)
    parts = [f"{n} {name}" for name, n in counts.items()]
    return "consumer: " + ", ".join(parts)


def _visit(staff: Staff, alert: Alert, issued: datetime, rng: random.Random, now: datetime) -> int:
    met = 0
    for task in VisitTask.objects.filter(alert=alert).order_by("pk"):
        if rng.random() < 0.4:
            continue
        when = min(issued + timedelta(days=rng.randint(1, 10)), now - timedelta(minutes=5))
        result = rng.choice(["met", "met", "no_answer", "met_other"])
        data = ContactInput(
            on=timezone.localdate(when).isoformat(), method="visit", result=result,
            living="注意情報の内容を伝え、電話の近くにメモを貼った。" if result != "no_answer" else "",
        )  # fmt: skip
        with clock.frozen(when):
            try:
                log_contact(staff, task.target_id, data)
            except (FieldErrors, PermissionDenied):
                continue
        met += result != "no_answer"
    return met


def _referrals(rng: random.Random, now: datetime) -> int:
    """A few residents tell the 北砂 longevity centre about consumer damage; it refers them."""
    staff = _staff("consultant.elderly")
    if staff is None or staff.agency_id is None:
        return 0
    linked = list(
        AgencyLink.objects.filter(agency_id=staff.agency_id, until__isnull=True)
        .order_by("person_id").values_list("person_id", flat=True)[:40]
    )  # fmt: skip
    people = [p for p in Person.objects.filter(pk__in=linked, sealed=False).order_by("pk")]
    sent = 0
    for i, person in enumerate(rng.sample(people, min(3, len(people)))):
        day = now - timedelta(days=70 - i * 20)
        received = day.replace(hour=11, minute=0)
        data = ConsultationInput(
            received_on=timezone.localdate(received).isoformat(), channel="visit",
            service="elderly", visitor="self", person_id=person.pk,
            problems=["consumer_damage"], main_problem="consumer_damage",
            notes=CONSUMER_NOTES[i % len(CONSUMER_NOTES)], outcome="referral",
            identity_check="document",
        )  # fmt: skip
        try:
            with clock.frozen(received):
                consultation = save_consultation(staff, data, final=True)
                record_consent(staff, person.pk, ConsentInput(
                    form=ConsentForm.WITH_CONSENT, given_on=timezone.localdate(received).isoformat(),
                    expires_on=(timezone.localdate(received) + timedelta(days=365)).isoformat(),
                    agencies=[CONSUMER_CENTRE],
                    categories=[InfoCategory.BASIC, InfoCategory.CONSULTATION]))  # fmt: skip
            with clock.frozen(received + timedelta(hours=1)):
                send_referral(staff, consultation.pk, to_agency=CONSUMER_CENTRE,
                              summary=f"消費者被害の相談。{consultation.notes}",
                              explained="消費者センターから連絡が来ること、相談の内容を共有すること")  # fmt: skip
        except (FieldErrors, PermissionDenied, ReferralError, AlertError):
            continue
        sent += 1
    return sent
