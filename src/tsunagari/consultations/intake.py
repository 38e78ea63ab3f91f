"""Reading an intake as typed (form or API) into clean values, or errors to fix.

Drafts are checked leniently (only what would be unsafe to store is
refused); a consultation being recorded must also be complete.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tsunagari.consultations.models import (
    Channel,
    FirstOutcome,
    HealthInsurance,
    Housing,
    Pension,
    ProblemArea,
    Service,
    Visitor,
    Work,
)
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors
from tsunagari.lib.locale import reason_of
from tsunagari.people.models import IdentityCheck
from tsunagari.text import TextError, parse_date

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

NOTES_MAX = 10_000
PERSON_FIELDS = ("name", "kana", "birth_date", "sex", "address", "phone")
_PERSON_LIMITS = {
    "name": 120,
    "kana": 120,
    "birth_date": 40,
    "sex": 10,
    "address": 300,
    "phone": 40,
}


class IntakeError(FieldErrors):
    """What to fix, field by field. Nothing was written."""


@dataclass
class ConsultationInput:
    received_on: Any = ""
    channel: Any = ""
    service: Any = ""
    visitor: Any = ""
    visitor_relation: Any = ""
    person_id: Any = None
    new_person: dict[str, Any] = field(default_factory=dict)
    confirm_new: bool = False
    problems: Any = field(default_factory=list)
    main_problem: Any = ""
    work: Any = ""
    housing: Any = ""
    health_insurance: Any = ""
    pension: Any = ""
    notes: Any = ""
    outcome: Any = ""
    # How the person's identity was confirmed when they came themself.
    identity_check: Any = ""
    identity_note: Any = ""


def _text(value: Any, name: str, limit: int, errors: dict[str, str]) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        errors[name] = gettext("文字で入力してください。")
        return ""
    if len(value) > limit:
        errors[name] = gettext("%(limit)s文字以内で入力してください（いま%(length)s文字）。") % {
            "limit": f"{limit:,}",
            "length": f"{len(value):,}",
        }
        return ""
    if "\x00" in value:
        errors[name] = gettext("使えない文字（制御文字）が含まれています。")
        return ""
    return value.strip()


def _choice(
    value: Any,
    name: str,
    choices: type,
    errors: dict[str, str],
    *,
    required: bool,
    label: StrOrPromise,
) -> str:
    text = _text(value, name, 40, errors)
    if name in errors:
        return ""
    if text and text not in choices.values:  # type: ignore[attr-defined]
        errors[name] = gettext("%(label)sは一覧から選んでください。") % {"label": label}
        return ""
    if required and not text:
        errors[name] = gettext("%(label)sを選んでください。") % {"label": label}
    return text


def _received_on(value: Any, errors: dict[str, str], *, final: bool) -> date | None:
    text = _text(value, "received_on", 40, errors)
    if "received_on" in errors:
        return None
    if not text:
        return clock.today()
    parsed = parse_date(text)
    if isinstance(parsed, TextError):
        errors["received_on"] = reason_of(parsed)
        return None
    today = clock.today()
    if parsed > today:
        errors["received_on"] = gettext("受付日が未来の日付です。")
    elif parsed < today - timedelta(days=730):
        errors["received_on"] = gettext(
            "2年以上前の受付日は記録できません。日付を確認してください。"
        )
    return parsed


def _person_id(value: Any, errors: dict[str, str]) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors["person"] = gettext("本人の番号が正しくありません。")
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        errors["person"] = gettext("本人の番号が正しくありません。検索結果から選び直してください。")
        return None
    if number < 1 or number > 2**62:
        errors["person"] = gettext("本人の番号が正しくありません。")
        return None
    return number


def clean_intake(data: ConsultationInput, *, final: bool) -> dict[str, Any]:
    """Clean values for a Consultation, or IntakeError naming every bad field."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {
        "received_on": _received_on(data.received_on, errors, final=final),
        "channel": _choice(data.channel, "channel", Channel, errors, required=final, label=_("受付方法")),
        "service": _choice(data.service, "service", Service, errors, required=final, label=_("受け付けた事業")),
        "visitor": _choice(data.visitor, "visitor", Visitor, errors, required=final, label=_("来談者")),
        "visitor_relation": _text(data.visitor_relation, "visitor_relation", 30, errors),
        "work": _choice(data.work, "work", Work, errors, required=False, label=_("仕事")),
        "housing": _choice(data.housing, "housing", Housing, errors, required=False, label=_("住まい")),
        "health_insurance": _choice(data.health_insurance, "health_insurance", HealthInsurance, errors,
                                    required=False, label=_("健康保険")),
        "pension": _choice(data.pension, "pension", Pension, errors, required=False, label=_("年金")),
        "notes": _text(data.notes, "notes", NOTES_MAX, errors),
        "outcome": _choice(data.outcome, "outcome", FirstOutcome, errors, required=False, label=_("初回の対応")),
        "identity_check": _choice(data.identity_check, "identity_check", IdentityCheck, errors, required=False,
                                  label=_("本人確認の方法")),
        "identity_note": _text(data.identity_note, "identity_note", 200, errors),
    }  # fmt: skip
    if values["identity_check"] and values["visitor"] != Visitor.SELF and "visitor" not in errors:
        errors["identity_check"] = gettext(
            "本人確認は、来談者が本人のときに記録します。来談者を確かめてください。"
        )
    if values["identity_check"] == IdentityCheck.OTHER and not values["identity_note"]:
        errors["identity_note"] = gettext("「その他」のときは、確認の方法を備考に書いてください。")
    problems = data.problems
    if problems is None:
        problems = []
    if not isinstance(problems, list) or not all(isinstance(p, str) for p in problems):
        errors["problems"] = gettext("相談の分野は一覧から選んでください。")
        problems = []
    elif set(problems) - set(ProblemArea.values):
        errors["problems"] = gettext("相談の分野は一覧から選んでください。")
        problems = []
    ordered = [p for p in ProblemArea.values if p in set(problems)]
    main = _choice(data.main_problem, "main_problem", ProblemArea, errors, required=False,
                   label=_("主な分野"))  # fmt: skip
    if not main and len(ordered) == 1:
        main = ordered[0]
    if main and main not in ordered and "problems" not in errors:
        ordered = [p for p in ProblemArea.values if p in {*ordered, main}]
    if final and not ordered and "problems" not in errors:
        errors["problems"] = gettext("相談の分野を1つ以上選んでください。")
    elif final and len(ordered) > 1 and not main and "main_problem" not in errors:
        errors["main_problem"] = gettext("主な分野を1つ選んでください。")
    values["problems"] = ordered
    values["main_problem"] = main
    values["person_id"] = _person_id(data.person_id, errors)
    new_person: dict[str, str] = {}
    raw = data.new_person if isinstance(data.new_person, dict) else None
    if raw is None:
        errors["new_person"] = gettext("新しく登録する本人の情報が読めません。")
        raw = {}
    for name in PERSON_FIELDS:
        text = _text(raw.get(name, ""), f"new_{name}", _PERSON_LIMITS[name], errors)
        if text:
            new_person[name] = text
    values["new_person"] = new_person
    values["confirm_new"] = bool(data.confirm_new is True)
    if (
        final
        and values["person_id"] is None
        and not new_person.get("name")
        and "person" not in errors
    ):
        errors["person"] = gettext(
            "本人を検索して選ぶか、新しく登録する方の氏名を入力してください。"
        )
    if errors:
        raise IntakeError(errors)
    return values
