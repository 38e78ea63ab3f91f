"""The newest forms that anyone who works with people can fill in: the outreach
tip (民生委員 and partners) and the safeguarding report (通報・届出).

Whatever is typed, the page answers with the saved record (the tip's reference,
the report's page) or with the form and a message that says what to fix (422):
never a server error, and never half a record: a refusal writes nothing, a
success writes the record with its event and audit row, all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzz.strategies import CELL, FUZZ

#: What a form's text box can receive: ordinary text, controls, NUL, other scripts' digits.
ODD = "\x00\x01\x7f\u2028\ufeff\u200b²١٢３\U0001f642<>&\"'%s{}"


def text(limit: int, *good: str) -> st.SearchStrategy[str]:
    """Usually valid, sometimes empty, odd, exactly at the limit or one over it."""
    edge = st.builds(
        lambda ch, extra: ch * (limit + extra), st.sampled_from(["あ", "a", " ", "\x00"]),
        st.sampled_from([0, 1]),
    )  # fmt: skip
    return (
        st.sampled_from([*good, ""])
        | CELL
        | st.text(alphabet=st.sampled_from(ODD + "あa 1"), max_size=20)
        | edge
    )


def mutated(
    valid: dict[str, str], odd: dict[str, st.SearchStrategy[str]]
) -> st.SearchStrategy[dict[str, str]]:
    """A valid form with some fields (none, one, several) replaced by fuzzed values, so that
    both outcomes are common: every field's oddity is tried beside otherwise good input."""

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, str]:
        fields = draw(st.lists(st.sampled_from(sorted(odd)), max_size=3, unique=True))
        return {**valid, **{f: draw(odd[f]) for f in fields}}

    return build()


def _counts(*models: Any) -> tuple[int, ...]:
    return tuple(m.objects.count() for m in models)


# --- the outreach tip ---------------------------------------------------------------

TIP = mutated(
    {
        "tipster": "commissioner",
        "town": "北砂",
        "address": "北砂3-12-5",
        "description": "郵便受けに新聞がたまっている",
    },
    {
        "tipster": st.sampled_from(["commissioner", "neighbour", "agency", "", "nobody"]) | CELL,
        "town": text(40, "北砂", "豊洲"),
        "address": text(300, "北砂3-12-5", "江東区豊洲5-6-1"),
        "description": text(2000, "郵便受けに新聞がたまっている"),
    },
)


@pytest.fixture
def tip_client(client_for: Callable[[str], Client]) -> Client:
    return client_for("commissioner")


@pytest.mark.django_db
@FUZZ
@given(data=TIP)
def test_any_tip_is_saved_whole_or_refused_with_a_message(
    tip_client: Client, data: dict[str, str]
) -> None:
    from tsunagari.audit.models import AuditEvent
    from tsunagari.events.models import DomainEvent
    from tsunagari.outreach.models import OutreachTarget, Tip

    before = _counts(Tip, OutreachTarget, DomainEvent, AuditEvent)
    response = tip_client.post("/outreach/tip/", data)
    after = _counts(Tip, OutreachTarget, DomainEvent, AuditEvent)
    assert response.status_code in {200, 422}, response.status_code
    if response.status_code == 422:
        event("refused")
        assert after == before, "a refused tip wrote something"
        errors = response.context["errors"]
        assert errors and all(isinstance(m, str) and m.strip() for m in errors.values())
        assert set(errors) <= {"tipster", "town", "address", "description"}
    else:
        event("saved")
        reference = response.context["reference"]
        assert reference.startswith("T")
        tip = Tip.objects.get(reference=reference)
        assert OutreachTarget.objects.filter(tip=tip).count() == 1
        # the tip, its target, their events and audit rows: all or nothing
        assert after[0] == before[0] + 1 and after[1] == before[1] + 1
        assert after[2] > before[2] and after[3] > before[3]
        assert tip.description == data["description"].strip()


# --- the safeguarding report -------------------------------------------------------

CHILD_CENTRE = "@child-centre"  # replaced by a real centre's code in the test

PERSON = "@person"  # replaced by a registered person's number in the test

REPORT = mutated(
    {
        "law": "elder_carer",
        "person": "",
        "subject_note": "北砂に住む80代の女性",
        "summary": "隣の部屋から怒鳴り声が毎晩聞こえる",
        "reporter_type": "anonymous",
        "reporter_name": "",
        "reporter_relation": "",
        "reporter_contact": "",
        "hand_to": CHILD_CENTRE,
    },
    {
        "law": st.sampled_from(
            ["elder_carer", "elder_facility", "disability", "child", "dv", "", "x"]
        )
        | CELL,
        "person": st.sampled_from([PERSON, "", "0", "99999", "abc", " 1 "])
        | st.integers(min_value=-5, max_value=10**6).map(str)
        | st.text(alphabet=st.sampled_from("0129²١٢３ -"), min_size=1, max_size=24),
        "subject_note": text(200, "北砂に住む80代の女性"),
        "summary": text(4000, "隣の部屋から怒鳴り声が毎晩聞こえる"),
        "reporter_type": st.sampled_from(["anonymous", "neighbour", "family", "", "x"]) | CELL,
        "reporter_name": text(120, "近所 花子"),
        "reporter_relation": text(60, "隣人"),
        "reporter_contact": text(120, "03-1234-5678"),
        "hand_to": st.sampled_from([CHILD_CENTRE, "", "nope"]) | CELL,
    },
)
VALID_KINDS = ["physical", "psychological", "sexual", "neglect", "economic"]
KINDS = st.lists(st.sampled_from(VALID_KINDS), max_size=3) | st.lists(
    st.sampled_from([*VALID_KINDS, "", "financial"]) | CELL, max_size=4
)


@pytest.fixture
def a_person(db: None) -> None:
    from tsunagari.people.models import Person
    from tsunagari.people.services import PersonInput, clean

    Person.objects.create(**clean(PersonInput(name="江東　花子", kana="コウトウ　ハナコ",
                                              birth_date="1944-04-01", sex="2")))  # fmt: skip


@pytest.mark.django_db
@pytest.mark.usefixtures("a_person")
@FUZZ
@given(data=REPORT, kinds=KINDS, who=st.sampled_from(["consultant.elderly", "safeguarding"]))
def test_any_report_is_saved_whole_or_refused_with_a_message(
    client_for: Callable[[str], Client], data: dict[str, str], kinds: list[str], who: str
) -> None:
    from tsunagari.accounts.models import Agency, AgencyKind
    from tsunagari.audit.models import AuditEvent
    from tsunagari.events.models import DomainEvent
    from tsunagari.people.models import Person
    from tsunagari.safeguarding.models import Report, ReporterIdentity

    centre = Agency.objects.filter(kind=AgencyKind.CHILD_FAMILY_CENTRE).first()
    person = Person.objects.order_by("pk").first()
    if data["hand_to"] == CHILD_CENTRE:
        data = {**data, "hand_to": centre.code if centre else ""}
    if data["person"] == PERSON:
        data = {**data, "person": str(person.pk) if person else ""}
    client = client_for(who)
    models = (Report, ReporterIdentity, DomainEvent, AuditEvent)
    before = _counts(*models)
    response = client.post("/safeguarding/new/", {**data, "kinds": kinds})
    after = _counts(*models)
    assert response.status_code in {200, 302, 422}, response.status_code
    if response.status_code == 422:
        event("refused")
        assert after == before, "a refused report wrote something"
        errors = response.context["errors"]
        assert errors and all(isinstance(m, str) and m.strip() for m in errors.values())
    else:
        event("saved")
        report = Report.objects.order_by("-pk").first()
        assert report is not None and after[0] == before[0] + 1
        assert ReporterIdentity.objects.filter(report=report).count() == 1
        assert after[2] > before[2] and after[3] > before[3]
        assert report.summary == data["summary"].strip()


# Found by the fuzz test above: the typed number was checked with str.isdigit(),
# which accepts "²" and "①" (a circled number is easy to type on a Japanese
# keyboard), and int() then failed: a server error instead of "no such person".
# A number of many digits overflowed the database key the same way.
@pytest.mark.django_db
@pytest.mark.parametrize("number", ["²", "①", "1²", "9" * 40])
def test_a_report_naming_the_person_with_odd_digits_gets_a_form_error(
    client_for: Callable[[str], Client], number: str
) -> None:
    response = client_for("consultant.elderly").post(
        "/safeguarding/new/",
        {"law": "elder_carer", "person": number, "summary": "怒鳴り声が聞こえる",
         "reporter_type": "anonymous"},
    )  # fmt: skip
    assert response.status_code == 422
    assert "person" in response.context["errors"]
