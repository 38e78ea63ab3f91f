"""Turning HSDS records into words for people: schedules (iCal RRULE parts)
in Japanese, やさしい日本語 and English."""

from __future__ import annotations

from tsunagari.resources.models import Schedule

DAY_NAMES = {
    "ja": {"MO": "月", "TU": "火", "WE": "水", "TH": "木", "FR": "金", "SA": "土", "SU": "日"},
    "easy": {"MO": "げつようび", "TU": "かようび", "WE": "すいようび", "TH": "もくようび", "FR": "きんようび", "SA": "どようび", "SU": "にちようび"},
    "en": {"MO": "Mon", "TU": "Tue", "WE": "Wed", "TH": "Thu", "FR": "Fri", "SA": "Sat", "SU": "Sun"},
}  # fmt: skip
DAY_ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _hhmm(value: str) -> str:
    return value[:5] if value else ""


def schedule_text(schedule: Schedule, style: str = "ja") -> str:
    """One line for a schedule, e.g. 「毎週 月・水 10:00〜12:00」, 「毎月 第2火曜 …」.

    ``style`` is ``ja``, ``easy`` (やさしい日本語) or ``en``.
    """
    names = DAY_NAMES.get(style, DAY_NAMES["ja"])
    tokens = [t.strip().upper() for t in (schedule.byday or "").split(",") if t.strip()]
    hours = ""
    if schedule.opens_at or schedule.closes_at:
        sep = " - " if style == "en" else "〜"
        hours = f"{_hhmm(schedule.opens_at)}{sep}{_hhmm(schedule.closes_at)}"
    if schedule.freq == "MONTHLY" and tokens:
        parts = []
        for token in tokens:
            nth, day = token[:-2], token[-2:]
            label = names.get(day, day)
            if style == "en":
                parts.append(f"{_ordinal(nth)} {label}" if nth else label)
            elif style == "easy":
                parts.append(f"だい{nth} {label}" if nth else label)
            else:
                parts.append(f"第{nth}{label}曜" if nth else f"{label}曜")
        days = ", ".join(parts) if style == "en" else "・".join(parts)
        head = {"en": f"Monthly, {days}", "easy": f"まいつき {days}", "ja": f"毎月 {days}"}[
            _style(style)
        ]
    elif tokens:
        ordered = [d for d in DAY_ORDER if d in {t[-2:] for t in tokens}]
        if style == "en":
            head = "Every " + ", ".join(names[d] for d in ordered)
        elif style == "easy":
            head = "まいしゅう " + "・".join(names[d] for d in ordered)
        else:
            head = "毎週 " + "・".join(names[d] for d in ordered)
    else:
        head = ""
    text = " ".join(p for p in (head, hours) if p)
    return text or schedule.description


def _style(style: str) -> str:
    return style if style in ("en", "easy") else "ja"


def _ordinal(nth: str) -> str:
    try:
        n = int(nth)
    except ValueError:
        return nth
    if n < 0:
        return "last"
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
