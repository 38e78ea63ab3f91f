"""The register's actions: what they refuse (and say), what they write."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied

from tsunagari.accounts.models import Agency, Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock
from tsunagari.workforce.models import Supervision, Training, Worker
from tsunagari.workforce.services import (
    SupervisionInput,
    TrainingInput,
    WorkerInput,
    WorkforceError,
    add_attendance,
    add_worker,
    record_qualification,
    record_supervision,
    record_training,
)

JST = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 20, 18, tzinfo=JST)


def test_a_qualification_is_recorded_with_its_event_and_audit(
    personas: dict[str, Staff], workers: dict[str, Worker]
) -> None:
    supervisor = personas["supervisor.elderly"]
    with clock.frozen(NOW):
        record_qualification(
            supervisor, workers["kitasuna1"].pk, "chief_care_manager", "2019-07-01"
        )
    event = DomainEvent.objects.get(
        kind=EventKind.QUALIFICATION_RECORDED, data__change="qualification"
    )
    assert event.actor == supervisor and event.data["qualification"] == "chief_care_manager"
    assert "北砂" not in str(event.data)  # no names in events
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="workforce.qualification",
                                     actor_username="supervisor.elderly").exists()  # fmt: skip


@pytest.mark.parametrize(("kind", "day", "other", "field", "message"), [
    ("", "2020-01-01", "", "kind", "資格を一覧から選んでください"),
    ("other", "2020-01-01", "", "other_name", "入力してください"),
    ("social_worker", "2099-01-01", "", "obtained_on", "未来の日付"),
    ("social_worker", "2020/01/01", "", "obtained_on", "2026-04-01 の形"),
])  # fmt: skip
def test_a_qualification_that_cannot_be_saved_says_what_to_fix(
    workers: dict[str, Worker], kind: str, day: str, other: str, field: str, message: str
) -> None:
    with pytest.raises(WorkforceError) as caught:
        record_qualification(None, workers["kitasuna1"].pk, kind, day, other)
    assert message in caught.value.errors[field]


def test_the_same_qualification_is_not_recorded_twice(workers: dict[str, Worker]) -> None:
    record_qualification(None, workers["kitasuna1"].pk, "social_worker", "2020-01-01")
    with pytest.raises(WorkforceError, match="すでに記録"):
        record_qualification(None, workers["kitasuna1"].pk, "social_worker", "2021-01-01")


def test_a_worker_links_only_an_account_of_their_agency(
    personas: dict[str, Staff], agencies: dict[str, Agency]
) -> None:
    with pytest.raises(WorkforceError, match="この機関に所属する"):
        add_worker(
            None,
            agencies["lsc-16"],
            WorkerInput(name="豊洲 健", staff=personas["consultant.toyosu"].pk),
        )
    worker = add_worker(
        None,
        agencies["lsc-16"],
        WorkerInput(name="長寿 良子", staff=personas["consultant.elderly"].pk),
    )
    assert worker.staff == personas["consultant.elderly"]
    assert DomainEvent.objects.get(kind=EventKind.WORKER_REGISTERED).object_id == str(worker.pk)
    with pytest.raises(WorkforceError, match="すでに名簿"):
        add_worker(
            None,
            agencies["lsc-16"],
            WorkerInput(name="長寿 良子", staff=personas["consultant.elderly"].pk),
        )


def test_the_ward_enters_a_cross_agency_course_once_for_many_agencies(
    personas: dict[str, Staff], workers: dict[str, Worker]
) -> None:
    with clock.frozen(NOW):
        course = record_training(personas["planner"], TrainingInput(
            title="重層的支援体制 合同研修", held_on="2026-11-20", hours="3.5", organiser="福祉課",
            cross_agency=True), [w.pk for w in workers.values()])  # fmt: skip
    assert course.cross_agency and course.attendances.count() == 4
    event = DomainEvent.objects.get(kind=EventKind.TRAINING_RECORDED)
    assert event.data["per_agency"] == {"dept-01": 1, "lsc-08": 1, "lsc-16": 2}
    assert event.data["hours"] == "3.5"


def test_a_supervisor_cannot_enter_a_cross_agency_course_but_adds_their_own_people(
    personas: dict[str, Staff], workers: dict[str, Worker]
) -> None:
    supervisor = personas["supervisor.elderly"]
    with pytest.raises(WorkforceError) as caught:
        record_training(supervisor, TrainingInput(title="合同", held_on="2026-01-10", hours="2",
                        organiser="福祉課", cross_agency=True), [workers["kitasuna1"].pk])  # fmt: skip
    assert "区（管理者・計画担当）" in caught.value.errors["cross_agency"]
    course = record_training(None, TrainingInput(title="合同", held_on="2026-01-10", hours="2",
                             organiser="福祉課", cross_agency=True), [workers["ward"].pk])  # fmt: skip
    added = add_attendance(
        supervisor, course.pk, [workers["kitasuna1"].pk, workers["kitasuna2"].pk]
    )
    assert len(added) == 2
    with pytest.raises(PermissionDenied):
        add_attendance(supervisor, course.pk, [workers["toyosu"].pk])
    assert course.attendances.count() == 3


def test_an_agencys_own_course_lists_only_its_register(
    personas: dict[str, Staff], agencies: dict[str, Agency], workers: dict[str, Worker]
) -> None:
    with pytest.raises(WorkforceError, match="この機関の名簿の人だけ"):
        record_training(personas["admin"], TrainingInput(title="新任研修", held_on="2026-01-10",
                        hours="2", organiser="北砂"), [workers["kitasuna1"].pk, workers["ward"].pk],
                        agency=agencies["lsc-16"])  # fmt: skip
    assert not Training.objects.exists()


@pytest.mark.parametrize(("hours", "message"), [
    ("", "時間数を入力"), ("abc", "半角の数字"), ("0", "0より大きい"), ("-1", "0より大きい"),
    ("1.25", "0.1時間単位"), ("500", "超えています"),
])  # fmt: skip
def test_training_hours_must_be_a_sensible_number(
    agencies: dict[str, Agency], workers: dict[str, Worker], hours: str, message: str
) -> None:
    with pytest.raises(WorkforceError) as caught:
        record_training(None, TrainingInput(title="研修", held_on="2026-01-10", hours=hours,
                        organiser="北砂"), [workers["kitasuna1"].pk], agency=agencies["lsc-16"])  # fmt: skip
    assert message in caught.value.errors["hours"]


def test_supervision_records_no_case_content_and_checks_its_format(
    personas: dict[str, Staff], agencies: dict[str, Agency], workers: dict[str, Worker]
) -> None:
    supervisor = personas["supervisor.elderly"]
    both = [workers["kitasuna1"].pk, workers["kitasuna2"].pk]
    with pytest.raises(WorkforceError, match="1人を選んで"):
        record_supervision(supervisor, agencies["lsc-16"], SupervisionInput(
            held_on="2026-01-10", supervisor="監督 誠", format="individual", hours="1", workers=both))  # fmt: skip
    with pytest.raises(WorkforceError, match="この機関の名簿の人だけ"):
        record_supervision(None, agencies["lsc-16"], SupervisionInput(
            held_on="2026-01-10", supervisor="監督 誠", format="group", hours="1",
            workers=[workers["kitasuna1"].pk, workers["ward"].pk]))  # fmt: skip
    session = record_supervision(supervisor, agencies["lsc-16"], SupervisionInput(
        held_on="2026-01-10", supervisor="監督 誠", format="group", hours="1.5", workers=both))  # fmt: skip
    assert session.workers.count() == 2
    assert {f.name for f in Supervision._meta.get_fields()} >= {
        "held_on",
        "supervisor",
        "format",
        "hours",
    }
    assert not {"content", "note", "case", "person"} & {
        f.name for f in Supervision._meta.get_fields()
    }
    event = DomainEvent.objects.get(kind=EventKind.SUPERVISION_RECORDED)
    assert event.data == {"agency": "lsc-16", "held_on": "2026-01-10", "format": "group",
                          "hours": "1.5", "workers": 2}  # fmt: skip
