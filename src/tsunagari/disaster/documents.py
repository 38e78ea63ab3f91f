"""The roster as it leaves the ward: the released list (PDF, Excel) and the
consent letters (PDF). People reach these files only as the presenter's
views (Purpose.EXPORT), so seals and the audit trail hold here too.

PDFs are WeasyPrint in Noto Sans CJK JP (Debian's fonts-noto-cjk), as the
survey report; the recipient's name and the date are in every page's margin.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext, gettext_noop
from openpyxl import Workbook
from openpyxl.styles import Font

from tsunagari.disaster.models import EvacuationPlan, Release, RosterEntry
from tsunagari.lib.pdf import PdfUnavailable as PdfUnavailable  # the pages catch it here
from tsunagari.lib.pdf import pdf_from_html
from tsunagari.lib.spreadsheet import safe_cell
from tsunagari.people import sections as sec
from tsunagari.people.presenter import PersonView, Purpose, present_people

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff
    from tsunagari.disaster.selection import Selection

#: The roster entry itself opens these sections to the ward's staff and, in a
#: release, to the recipient: the statutory items (art. 49-10).
ROSTER_SECTIONS = frozenset({sec.IDENTITY, sec.BASIC})


@dataclass(frozen=True)
class Row:
    """One released person: the statutory items and the plan, if shared."""

    view: PersonView
    town: str
    reasons: str
    consent: str
    without_consent: bool
    plan: EvacuationPlan | None


def release_rows(actor: Staff, release: Release, selection: Selection) -> list[Row]:
    persons = selection.persons
    views = present_people(actor, persons, Purpose.EXPORT, object_type="disaster.release",
                           granted=ROSTER_SECTIONS, detail={"release": release.pk,
                                                            "recipient": release.recipient_id})  # fmt: skip
    entries = {e.person_id: e for e in RosterEntry.objects.filter(person__in=persons)}
    plans = {p.person_id: p for p in selection.plans}
    without = set(selection.without_consent)
    return [
        Row(view, person.town, "、".join(entries[person.pk].reason_labels),
            entries[person.pk].get_consent_display(), person.pk in without, plans.get(person.pk))
        for view, person in zip(views, persons, strict=True)
    ]  # fmt: skip


def release_file(actor: Staff, release: Release, selection: Selection) -> bytes:
    rows = release_rows(actor, release, selection)
    if release.file_format == "xlsx":
        return release_xlsx(release, rows)
    html = render_to_string("disaster/release_pdf.html", {"release": release, "rows": rows,
                                                          "stamp": stamp(release)})  # fmt: skip
    return pdf_from_html(html)


def stamp(release: Release) -> str:
    from tsunagari.disaster.selection import now_text

    return gettext("提供先: %(name)s　提供日時: %(at)s　提供番号: %(pk)s") % {
        "name": release.recipient.name, "at": now_text(release.at), "pk": release.pk,
    }  # fmt: skip


#: The statutory items (art. 49-10) first, then the ward's own.
HEADER = (
    gettext_noop("氏名"),
    gettext_noop("ふりがな"),
    gettext_noop("生年月日"),
    gettext_noop("性別"),
    gettext_noop("住所又は居所"),
    gettext_noop("電話番号その他の連絡先"),
    gettext_noop("避難支援等を必要とする事由"),
    gettext_noop("町名"),
    gettext_noop("提供への同意"),
    gettext_noop("避難支援等実施者"),
    gettext_noop("避難先"),
    gettext_noop("避難経路"),
    gettext_noop("配慮事項"),
)


def _helpers(plan: EvacuationPlan | None) -> str:
    if plan is None:
        return ""
    return " / ".join(
        "　".join(x for x in (h.get("name", ""), h.get("relation", ""), h.get("phone", "")) if x)
        for h in plan.helpers
    )


def _needs(plan: EvacuationPlan | None) -> str:
    if plan is None:
        return ""
    parts = [(gettext("服薬"), plan.medication), (gettext("機器"), plan.equipment),
             (gettext("移動"), plan.mobility), (gettext("意思疎通"), plan.communication),
             (gettext("家族"), plan.family_contact)]  # fmt: skip
    return " / ".join(f"{k}: {v}" for k, v in parts if v)


def release_xlsx(release: Release, rows: list[Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext("避難行動要支援者名簿")
    text = stamp(release)
    # Printed pages carry the recipient and the date in the header.
    sheet.oddHeader.center.text = text
    sheet.append([text])
    sheet.append([gettext("区が直接対応する方（住所等の閲覧制限）: %(n)s人（氏名は記載しません）")
                  % {"n": release.sealed_withheld}])  # fmt: skip
    sheet.append([gettext(h) for h in HEADER])
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for r in rows:
        v = r.view
        sheet.append([safe_cell(x) for x in (
            v.name, v.kana, v.birth_date.isoformat() if v.birth_date else "", v.sex, v.address,
            v.phone, r.reasons, r.town, r.consent, _helpers(r.plan),
            r.plan.place if r.plan else "", r.plan.route if r.plan else "", _needs(r.plan),
        )])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def consent_letters_pdf(actor: Staff, entries: list[RosterEntry]) -> bytes:
    """One letter a page asking each person whether their entry may be shared."""
    from tsunagari.disaster.selection import now_text

    persons = [e.person for e in entries]
    views = present_people(actor, persons, Purpose.EXPORT, object_type="disaster.letters",
                           granted=ROSTER_SECTIONS)  # fmt: skip
    letters = [
        (view, entry)
        for view, entry in zip(views, entries, strict=True)
        # A sealed person's letter is the designated staff's to send.
        if view.level == "full" and not view.contact_hidden
    ]
    html = render_to_string("disaster/letters_pdf.html", {"letters": letters,
                                                          "today": now_text()[:10]})  # fmt: skip
    return pdf_from_html(html)
