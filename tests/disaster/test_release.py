"""Releases: consent before a disaster, everyone in declared towns in disaster
mode (logged), only the recipient's towns, never a sealed person."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from tsunagari.accounts.models import Staff
from tsunagari.audit.models import AuditAction, AuditEvent
from tsunagari.disaster import selection, services
from tsunagari.disaster.models import ConsentStatus, Release, ReleaseMode, RosterEntry
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.lib import clock

TODAY = "2026-01-10"


def consent(people: dict[str, Any], officer: Staff, **states: str) -> None:
    for key, status in states.items():
        services.record_roster_consent(officer, people[key].pk, status, TODAY)


@pytest.fixture
def answered(roster: dict[str, Any], personas: dict[str, Staff]) -> dict[str, Any]:
    """北砂: 大山 agreed, 中村 refused, 林 presumed, 石井 presumed then opted out;
    豊洲: 上田 agreed, 佐藤 (sealed) agreed, 西 not asked."""
    consent(roster["people"], personas["disaster"], oyama=ConsentStatus.AGREED,
            nakamura=ConsentStatus.REFUSED, hayashi=ConsentStatus.PRESUMED,
            ishii=ConsentStatus.PRESUMED, ueda=ConsentStatus.AGREED, sato=ConsentStatus.AGREED)  # fmt: skip
    consent(roster["people"], personas["disaster"], ishii=ConsentStatus.OPTED_OUT)
    return roster


def names(release: Release, people: dict[str, Any]) -> set[str]:
    by_pk = {p.pk: key for key, p in people.items()}
    return {by_pk[pk] for pk in release.persons}


def test_before_a_disaster_only_consenting_or_presumed_people_of_its_towns_are_released(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    release, _ = services.release_roster(personas["disaster"], answered["kita"].pk, "xlsx")
    # the refusing 中村 and the opted-out 石井 are not in it; nobody from 豊洲 is
    assert names(release, answered["people"]) == {"oyama", "hayashi"}
    assert release.mode == ReleaseMode.ORDINARY and release.without_consent == []
    event = DomainEvent.objects.get(kind=EventKind.ROSTER_RELEASED, object_id=str(release.pk))
    assert event.data["recipient"] == answered["kita"].pk and event.data["count"] == 2


def test_the_excel_release_names_the_recipient_and_shows_the_sealed_count_only(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    release, content = services.release_roster(personas["disaster"], answered["toyo"].pk, "xlsx")
    # 佐藤 agreed but is sealed: never released, only counted
    assert names(release, answered["people"]) == {"ueda"} and release.sealed_withheld == 1
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert "豊洲民生委員協議会" in sheet.oddHeader.center.text  # type: ignore[operator]
    assert any("上田" in c for c in cells) and not any("佐藤" in c for c in cells)
    assert any("1人" in c for c in cells)
    # the export is audited with the persons it carried
    audit = AuditEvent.objects.filter(
        action=AuditAction.EXPORT, object_type="disaster.release"
    ).last()
    assert audit is not None and audit.detail["persons"] == [answered["people"]["ueda"].pk]


def test_in_disaster_mode_refusing_people_are_released_and_that_is_logged(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    officer = personas["disaster"]
    declaration = services.declare_disaster(officer, ["北砂"], "荒川氾濫の危険（避難指示）")
    release, _ = services.release_roster(officer, answered["kita"].pk, "xlsx")
    people = answered["people"]
    assert names(release, people) == {"oyama", "hayashi", "nakamura", "ishii"}
    assert set(release.without_consent) == {people["nakamura"].pk, people["ishii"].pk}
    assert release.mode == ReleaseMode.DISASTER and release.declaration == declaration
    assert AuditEvent.objects.filter(action=AuditAction.RELEASE, object_id=str(release.pk)).exists()
    # a recipient of another area still gets only its own towns, and only by consent
    other, _ = services.release_roster(officer, answered["toyo"].pk, "xlsx")
    assert names(other, people) == {"ueda"} and other.mode == ReleaseMode.ORDINARY
    # after the mode ends, the refusing person is out again, and the release is listed
    services.end_disaster(officer, declaration.pk, "避難指示の解除")
    after, _ = services.release_roster(officer, answered["kita"].pk, "xlsx")
    assert names(after, people) == {"oyama", "hayashi"}
    assert list(declaration.releases.all()) == [release]


def test_a_sealed_person_is_never_released_even_in_disaster_mode(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    services.declare_disaster(personas["disaster"], ["豊洲", "北砂"], "大地震")
    sato = answered["people"]["sato"].pk
    for recipient in (answered["kita"], answered["toyo"]):
        release, _ = services.release_roster(personas["disaster"], recipient.pk, "xlsx")
        assert sato not in release.persons
    # nor a member of a sealed person's household (it shares the address)
    from tsunagari.people.models import Membership

    home = Membership.objects.get(person_id=sato).household
    Membership.objects.create(household=home, person=answered["people"]["nishi"], relation="子")
    release, _ = services.release_roster(personas["disaster"], answered["toyo"].pk, "xlsx")
    assert answered["people"]["nishi"].pk not in release.persons


def test_disaster_mode_ends_by_itself_after_the_set_time(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    declaration = services.declare_disaster(personas["disaster"], ["北砂"], "台風", hours="6")
    with clock.frozen(clock.now() + timedelta(hours=7)):
        assert selection.declared_towns() == {}
        release, _ = services.release_roster(personas["disaster"], answered["kita"].pk, "xlsx")
    assert answered["people"]["nakamura"].pk not in release.persons
    declaration.refresh_from_db()
    assert declaration.ended_at == declaration.ends_at
    assert DomainEvent.objects.filter(
        kind=EventKind.DISASTER_ENDED, object_id=str(declaration.pk)
    ).exists()


def test_only_an_officer_with_disaster_authority_may_declare(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    personas["disaster"].disaster_authority = False
    personas["disaster"].save()
    with pytest.raises(PermissionDenied):
        services.declare_disaster(personas["disaster"], ["北砂"], "訓練")


def test_consent_is_dated_and_kept_with_who_recorded_it(
    answered: dict[str, Any], personas: dict[str, Staff]
) -> None:
    entry = RosterEntry.objects.get(person=answered["people"]["ishii"])
    assert entry.consent == ConsentStatus.OPTED_OUT and entry.consent_by == personas["disaster"]
    assert [c.status for c in entry.consents.all()] == ["opted_out", "presumed"]
    with pytest.raises(services.DisasterError) as refused:
        services.record_roster_consent(personas["disaster"], entry.person_id, "maybe", "2026-13-01")
    assert set(refused.value.errors) == {"status", "on"}


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils is not installed")
def test_the_printed_release_renders_in_japanese_with_the_recipient_on_every_page(
    answered: dict[str, Any], personas: dict[str, Staff], tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    _, content = services.release_roster(personas["disaster"], answered["kita"].pk, "pdf")
    pdf = tmp_path / "release.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    pages = text.split("\f")
    assert all("北砂三丁目町会" in page for page in pages if page.strip())
    assert "大山" in text and "中村" not in text and "避難行動要支援者名簿" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)  # fmt: skip
    from PIL import Image

    image = Image.open(next(tmp_path.glob("page*.png"))).convert("L")
    assert sum(image.histogram()[:128]) > 0.005 * image.width * image.height


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_consent_letters_go_to_those_not_yet_asked_but_not_to_sealed_people(
    roster: dict[str, Any], personas: dict[str, Staff], tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    from tsunagari.disaster.documents import consent_letters_pdf

    due = selection.letters_due()
    assert {e.person_id for e in due} == {e.person_id for e in RosterEntry.objects.all()}
    pdf = tmp_path / "letters.pdf"
    pdf.write_bytes(consent_letters_pdf(personas["disaster"], due))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True,
                          text=True).stdout  # fmt: skip
    assert "大山" in text and "同意します" in text and "佐藤" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_every_page_of_a_long_printed_release_names_the_recipient_and_the_date(
    answered: dict[str, Any], personas: dict[str, Staff], tmp_path: Path
) -> None:
    pytest.importorskip("weasyprint")
    from tests.people.conftest import make_person

    officer = personas["disaster"]
    for n in range(60):
        person = make_person(name=f"北野　{n}郎", kana="キタノ　ロウ", birth_date="1940-01-01",
                             sex="1", address=f"東京都江東区北砂四丁目{n + 1}番1号")  # fmt: skip
        services.add_by_hand(officer, person.pk, "在宅で人工呼吸器を使用")
        services.record_roster_consent(officer, person.pk, ConsentStatus.AGREED, TODAY)
    release, content = services.release_roster(officer, answered["kita"].pk, "pdf")
    pdf = tmp_path / "long.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          check=True, text=True).stdout  # fmt: skip
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) > 1
    from django.utils import timezone

    day = timezone.localtime(release.at).strftime("%Y-%m-%d")
    for page in pages:
        assert "北砂三丁目町会" in page and day in page and f"提供番号: {release.pk}" in page
