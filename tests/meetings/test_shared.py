"""The one meeting component the council and case conferences share: versioned
minutes refused on a stale version with both texts kept, actions overdue on the
ward's working-day calendar, and one worklist query serving both apps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.cases.conftest import TODAY, meeting_for, open_for
from tsunagari.accounts.models import Agency, Staff
from tsunagari.cases.models import Conference, ConferenceAction, ConferenceMinutes, Regime
from tsunagari.cases.services import (
    ConferenceActionInput,
    ConferenceInput,
    ConferenceMinutesConflict,
    TeamInput,
    add_conference_action,
    hold_conference,
    overdue_actions,
    record_conference_minutes,
)
from tsunagari.council import services as council
from tsunagari.council.models import ActionItem, Meeting, Minutes, Organisation
from tsunagari.lib import clock
from tsunagari.meetings import services as meetings
from tsunagari.meetings.models import ActionItemBase, MeetingBase, MinutesBase
from tsunagari.meetings.services import MinutesConflict

TEAM = ("mac-01", "srs-01", "lsc-16")
Clients = Callable[[str], Client]


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def conference(ward: dict[str, Any], personas: dict[str, Staff]) -> Conference:
    meeting_for(ward, personas, [*TEAM, "dis-02"])
    case = open_for(ward, personas, Regime.SUPPORT_MEETING, TEAM)
    return hold_conference(personas["coordinator"], case.pk, ConferenceInput(
        held_on=TODAY, agencies=[TeamInput(c, "役割") for c in TEAM], staff=["coordinator"],
        agenda="役割分担", minutes="最初の議事録", decisions="見守りを続ける。"))  # fmt: skip


# ── the shape ──


def test_both_apps_inherit_the_one_meeting_component() -> None:
    # the council's and the conferences' models are the shared abstract ones
    assert issubclass(Meeting, MeetingBase) and issubclass(Conference, MeetingBase)
    assert issubclass(Minutes, MinutesBase) and issubclass(ConferenceMinutes, MinutesBase)
    assert issubclass(ActionItem, ActionItemBase)
    assert issubclass(ConferenceAction, ActionItemBase)


# ── minutes ──


@pytest.mark.parametrize("app", ["council", "cases"])
def test_a_stale_minutes_save_is_refused_with_both_texts(
    app: str, meeting: Meeting, conference: Conference, personas: dict[str, Staff]
) -> None:
    # given minutes at version 1 in either app, and the same shared function for both
    if app == "council":
        model: Any = Minutes
        held: Any = meeting
        writer = personas["planner"]
    else:
        model, held, writer = ConferenceMinutes, conference, personas["coordinator"]
    first = model.objects.get(meeting=held)
    assert first.version == 1
    # when one writer saves from version 1, and a second saves later from version 1 too
    meetings.save_minutes(model, held, "一人目の直し", staff=writer, version=1)
    with pytest.raises(MinutesConflict) as refused:
        meetings.save_minutes(model, held, "二人目の直し", staff=writer, version=1)
    # then the second is refused, carrying both texts and the version saved since
    assert refused.value.theirs == "一人目の直し"
    assert refused.value.yours == "二人目の直し"
    assert refused.value.version == 2
    # and nothing of the refused save was written
    first.refresh_from_db()
    assert (first.text, first.version) == ("一人目の直し", 2)


def test_the_first_minutes_are_refused_once_someone_else_wrote_them(
    meeting: Meeting, personas: dict[str, Staff]
) -> None:
    # given a meeting with no minutes, and a writer who opened the empty form (version 0)
    empty = council.schedule_meeting(personas["planner"], held_on=meeting.held_on, title="第2回")
    meetings.save_minutes(Minutes, empty, "先に書いた人", staff=personas["planner"], version=0)
    # when a second writer also starts from "no minutes"
    # then they are refused rather than overwriting the first
    with pytest.raises(MinutesConflict):
        meetings.save_minutes(
            Minutes, empty, "後から書いた人", staff=personas["planner"], version=0
        )
    assert Minutes.objects.get(meeting=empty).text == "先に書いた人"


def test_each_apps_verb_refuses_a_stale_save_with_its_own_error(
    meeting: Meeting, conference: Conference, personas: dict[str, Staff]
) -> None:
    # the council's verb raises the council's error, the case's the case's; both carry the texts
    council.record_minutes(personas["planner"], meeting, "第2版", version=1)
    with pytest.raises(council.CouncilError) as c_refused:
        council.record_minutes(personas["planner"], meeting, "古い版から", version=1)
    assert isinstance(c_refused.value, MinutesConflict) and c_refused.value.theirs == "第2版"
    coordinator = personas["coordinator"]
    record_conference_minutes(coordinator, conference.case_id, conference.pk, "第2版", version=1)
    with pytest.raises(ConferenceMinutesConflict) as k_refused:
        record_conference_minutes(coordinator, conference.case_id, conference.pk, "古い版から",
                                  version=1)  # fmt: skip
    assert k_refused.value.theirs == "第2版" and k_refused.value.yours == "古い版から"
    conference.refresh_from_db()
    assert conference.minutes == "第2版"


def test_both_pages_show_both_texts_after_a_refused_save(
    meeting: Meeting, conference: Conference, personas: dict[str, Staff], client_for: Clients
) -> None:
    # given minutes saved to version 2 in each app
    council.record_minutes(personas["planner"], meeting, "事務局の直し", version=1)
    record_conference_minutes(personas["coordinator"], conference.case_id, conference.pk,
                              "調整役の直し", version=1)  # fmt: skip
    # when a stale form is sent to each page
    pages = [
        (client_for("planner"), f"/council/meetings/{meeting.pk}/minutes/", "事務局の直し"),
        (client_for("coordinator"),
         f"/cases/{conference.case_id}/conferences/{conference.pk}/minutes/", "調整役の直し"),
    ]  # fmt: skip
    for client, url, theirs in pages:
        response = client.post(url, {"text": "古い画面からの直し", "version": "1"})
        html = response.content.decode()
        # then the page refuses it (409) and shows the saved text and the refused one
        assert response.status_code == 409, url
        assert 'id="minutes-conflict"' in html
        assert theirs in html and "古い画面からの直し" in html
        # and the form now carries the current version, so a merged text can be saved
        assert 'name="version" value="2"' in html


# ── overdue on the working-day calendar ──


@pytest.mark.parametrize(
    ("due", "today", "days"),
    [
        (date(2026, 12, 28), date(2026, 12, 31), 0),  # 年末年始: no working day has passed
        (date(2026, 12, 28), date(2027, 1, 3), 0),
        (date(2026, 12, 28), date(2027, 1, 4), 1),  # the first working day of the year
        (date(2026, 11, 20), date(2026, 11, 23), 0),  # Friday, then 勤労感謝の日 on Monday
        (date(2026, 11, 20), date(2026, 11, 24), 1),
        (date(2026, 11, 24), date(2026, 11, 24), 0),  # due today: not overdue
        (date(2026, 11, 24), date(2026, 11, 30), 4),
    ],
)
def test_overdue_days_count_only_working_days(due: date, today: date, days: int) -> None:
    assert meetings.overdue_days(due, today) == days
    # the query's cut-off agrees with the count
    assert (due < meetings.overdue_cutoff(today)) == (days > 0)


def test_an_action_due_before_the_new_year_holidays_is_not_overdue_until_they_end(
    members: dict[str, Organisation], personas: dict[str, Staff]
) -> None:
    # given a council action due on the last working day of 2026
    with clock.frozen(at(date(2026, 12, 1))):
        item = council.add_action(personas["planner"], title="年内の原案", owner=members["npo"],
                                  due_on=date(2026, 12, 28))  # fmt: skip
    # then through 年末年始 it is not overdue, neither as a flag nor in the query
    with clock.frozen(at(date(2027, 1, 3))):
        assert not item.is_overdue and list(council.overdue_actions()) == []
    # and on the first working day of the year it is
    with clock.frozen(at(date(2027, 1, 4))):
        assert item.is_overdue and list(council.overdue_actions()) == [item]
        assert item.overdue_days == 1
    # a done action is never overdue
    with clock.frozen(at(date(2027, 1, 5))):
        council.complete_action(personas["planner"], item)
        assert not item.is_overdue and list(council.overdue_actions()) == []


# ── one worklist query for both apps ──


def test_the_same_worklist_query_serves_both_apps(
    members: dict[str, Organisation], conference: Conference, personas: dict[str, Staff]
) -> None:
    # given a council action owned by the NPO's organisation and a conference action for lsc-16
    npo, lsc = Agency.objects.get(code="npo-05"), Agency.objects.get(code="lsc-16")
    due = clock.today() + timedelta(days=20)
    council_item = council.add_action(personas["planner"], title="地図", owner=members["npo"],
                                      due_on=due)  # fmt: skip
    conf_item = add_conference_action(personas["coordinator"], conference.case_id, conference.pk,
                                      ConferenceActionInput("訪問する", "lsc-16",
                                                            _working(20)))  # fmt: skip
    # when each agency's open actions are asked of the one shared function
    # then each gets its own, through the app's path to the agency
    assert list(meetings.agency_open_actions(ActionItem, npo.pk)) == [council_item]
    assert list(meetings.agency_open_actions(ConferenceAction, lsc.pk)) == [conf_item]
    assert list(meetings.agency_open_actions(ConferenceAction, npo.pk)) == []
    # and done actions leave the worklist
    meetings.complete_action(conf_item)
    assert list(meetings.agency_open_actions(ConferenceAction, lsc.pk)) == []


def test_both_apps_read_overdue_from_the_shared_calendar_function(
    members: dict[str, Organisation], conference: Conference, personas: dict[str, Staff],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # given one action in each app, due in 20 days
    council.add_action(personas["planner"], title="地図", owner=members["npo"],
                       due_on=clock.today() + timedelta(days=20))  # fmt: skip
    add_conference_action(personas["coordinator"], conference.case_id, conference.pk,
                          ConferenceActionInput("訪問する", "lsc-16", _working(20)))  # fmt: skip
    assert list(council.overdue_actions()) == [] and overdue_actions(personas["coordinator"]) == []
    # when the shared calendar says a working day has passed far in the future
    far = clock.today() + timedelta(days=400)
    monkeypatch.setattr(meetings, "overdue_cutoff", lambda today=None: far)
    monkeypatch.setattr(meetings, "overdue_days", lambda due, today=None: 7)
    # then both apps' overdue lists follow it
    assert [a.title for a in council.overdue_actions()] == ["地図"]
    assert [(o.action.title, o.days) for o in overdue_actions(personas["coordinator"])] == [
        ("訪問する", 7)
    ]


def _working(days: int) -> str:
    from tsunagari.consultations.limits import working_calendar

    return working_calendar().add_working_days(clock.today(), days).isoformat()
