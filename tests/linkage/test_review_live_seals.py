"""The review queue reads seals live (finding 10 of issue 11): a person sealed
after the run, or living with a sealed person, is masked to reviewers; a
record tied to no stored person keeps the run's snapshot."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tsunagari.audit.models import AuditEvent
from tsunagari.linkage import review
from tsunagari.linkage.engine.review import REVIEW_COLUMNS
from tsunagari.linkage.models import LinkageRun, ReviewPair, RunStatus
from tsunagari.linkage.store import store_results
from tsunagari.people.models import Household, Membership, Person
from tsunagari.people.services import PersonInput, clean

ADDRESS = "東京都江東区亀戸九丁目9番9号"
PHONE = "03-3681-9999"


def _person(name: str, kana: str, resident_id: str, *, sealed: bool = False) -> Person:
    values = clean(PersonInput(name=name, kana=kana, birth_date="1961-05-05", address=ADDRESS,
                               phone=PHONE, resident_id=resident_id))  # fmt: skip
    values["sealed"] = sealed
    return Person.objects.create(**values)


def _store_run(tmp_path: Path, resident_id: str) -> ReviewPair:
    """Store a run as ``execute_run`` does after the engine: its records and
    one uncertain pair, whose registry side carries ``resident_id``."""
    out = tmp_path / "out"
    out.mkdir()
    pd.DataFrame(
        {
            "source": ["registry", "csw"],
            "record_id": ["R1", "W1"],
            "resident_id": [resident_id, None],
            "person_id": ["p1", "p2"],
            "household_id": ["h1", "h2"],
        }
    ).to_parquet(out / "records.parquet")
    row = dict.fromkeys(REVIEW_COLUMNS, "")
    row.update(
        source_l="registry", record_id_l="R1", source_r="csw", record_id_r="W1",
        match_probability="0.61", linked="no", person_id_l="p1", person_id_r="p2",
        name_l="今井 春子", name_r="今井 晴子", birth_date_l="1961-05-05", birth_date_r="1961-05-05",
        address_l=ADDRESS, address_r="江東区亀戸9-9-9", phone_l=PHONE, phone_r="0336819999",
    )  # fmt: skip
    pd.DataFrame([row], columns=list(REVIEW_COLUMNS)).to_csv(out / "review.csv", index=False)
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    candidates = pd.DataFrame(
        columns=["pattern", "pattern_ja", "household_id", "members", "sources", "reason",
                 "evidence"]
    )  # fmt: skip
    store_results(run, out, candidates)
    return ReviewPair.objects.get(run=run)


def _page(client: Client, pair: ReviewPair) -> str:
    response = client.get(reverse("linkage:review_pair", args=[pair.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _shows_contact(page: str) -> bool:
    return "亀戸九丁目9番9号" in page or PHONE in page or "0336819999" in page


@pytest.fixture
def reviewer(client_for: Callable[[str], Client]) -> Client:
    return client_for("admin")  # the reviewer, not designated for sealed contacts


def test_it_ties_a_stored_pair_to_the_person_its_record_was_matched_to(
    db: None, tmp_path: Path
) -> None:
    # Given a stored person with the registry record's resident number
    person = _person("今井　春子", "イマイ　ハルコ", "2000001")
    # When the run is stored
    pair = _store_run(tmp_path, "2000001")
    # Then the pair's registry side names that person, the other side no one
    assert pair.person_l_id == person.pk and pair.person_r_id is None
    assert not pair.sealed


def test_it_masks_a_person_sealed_after_the_run(
    reviewer: Client, tmp_path: Path, personas: Any
) -> None:
    # Given a run stored while the person was not sealed, showing the address
    person = _person("今井　春子", "イマイ　ハルコ", "2000001")
    pair = _store_run(tmp_path, "2000001")
    assert _shows_contact(_page(reviewer, pair))
    # When the person is sealed afterwards
    person.sealed = True
    person.save(update_fields=["sealed"])
    # Then the reviewer no longer sees either side's address or phone
    page = _page(reviewer, pair)
    assert not _shows_contact(page)
    assert "閲覧制限のため非表示" in page and "今井 春子" in page
    # and the view is audited as a masked one
    event = AuditEvent.objects.filter(object_type="linkage.reviewpair").latest("seq")
    assert event.detail["sealed"] is True and event.detail["persons"] == [person.pk]


def test_it_masks_a_person_whose_household_member_is_sealed(
    reviewer: Client, tmp_path: Path, personas: Any
) -> None:
    # Given a person who is not sealed, living with someone who is
    person = _person("今井　春子", "イマイ　ハルコ", "2000001")
    partner = _person("今井　夏美", "イマイ　ナツミ", "2000002", sealed=True)
    home = Household.objects.create(number="H-77", address=ADDRESS)
    Membership.objects.create(household=home, person=person, relation="世帯主")
    Membership.objects.create(household=home, person=partner, relation="同居人")
    pair = _store_run(tmp_path, "2000001")
    # When a reviewer opens the pair
    page = _page(reviewer, pair)
    # Then the shared address and phone are hidden
    assert not _shows_contact(page)
    assert pair.pk in review.masked_pair_ids([pair])


def test_it_unmasks_once_the_sealed_member_has_moved_out(
    reviewer: Client, tmp_path: Path, personas: Any
) -> None:
    # Given the sealed member left the household (an ended membership)
    person = _person("今井　春子", "イマイ　ハルコ", "2000001")
    partner = _person("今井　夏美", "イマイ　ナツミ", "2000002", sealed=True)
    home = Household.objects.create(number="H-77", address=ADDRESS)
    Membership.objects.create(household=home, person=person, relation="世帯主")
    Membership.objects.create(household=home, person=partner, relation="同居人",
                              since=date(2020, 1, 1), until=date(2024, 3, 31))  # fmt: skip
    pair = _store_run(tmp_path, "2000001")
    # Then only the current household counts
    assert _shows_contact(_page(reviewer, pair))


def test_it_keeps_the_snapshot_for_a_pair_tied_to_no_stored_person(db: None) -> None:
    # Given a pair the run marked sealed (an extract's own mark), tied to no person
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    pair = ReviewPair.objects.create(run=run, source_l="csw", record_id_l="W1", source_r="care",
                                     record_id_r="C1", probability=0.6, linked=False, sealed=True)  # fmt: skip
    open_pair = ReviewPair.objects.create(run=run, source_l="csw", record_id_l="W2",
                                          source_r="care", record_id_r="C2", probability=0.6,
                                          linked=False, rank=1)  # fmt: skip
    # Then it stays masked, and an unmarked, untied pair stays open
    assert review.masked_pair_ids([pair, open_pair]) == {pair.pk}


def test_it_shows_the_live_sealed_address_to_a_designated_reviewer(
    client: Client, tmp_path: Path, personas: Any
) -> None:
    person = _person("今井　春子", "イマイ　ハルコ", "2000001", sealed=True)
    pair = _store_run(tmp_path, "2000001")
    admin = personas["admin"]
    admin.sealed_access = True
    admin.save()
    client.force_login(admin)
    assert person.sealed and _shows_contact(_page(client, pair))


def test_the_migration_ties_pairs_stored_before_it_to_their_persons(db: None) -> None:
    # Given a pair stored before pairs named their persons, and its run's record links
    import importlib

    from django.apps import apps

    from tsunagari.linkage.models import RecordLink

    person = _person("今井　春子", "イマイ　ハルコ", "2000001")
    run = LinkageRun.objects.create(status=RunStatus.DONE, finished=timezone.now(), progress=1)
    RecordLink.objects.create(run=run, source="registry", record_id="R1", cluster="p1",
                              resident_id="2000001", person=person)  # fmt: skip
    RecordLink.objects.create(run=run, source="csw", record_id="W1", cluster="p2")
    pair = ReviewPair.objects.create(run=run, source_l="csw", record_id_l="W1",
                                     source_r="registry", record_id_r="R1", probability=0.6,
                                     linked=False)  # fmt: skip
    # When the migration's data step runs
    migration = importlib.import_module("tsunagari.linkage.migrations.0003_review_pair_persons")
    migration.tie_stored_pairs(apps, None)
    # Then the registry side names the person, and a later seal masks the pair
    pair.refresh_from_db()
    assert pair.person_l_id is None and pair.person_r_id == person.pk
    Person.objects.filter(pk=person.pk).update(sealed=True)
    assert review.masked_pair_ids([pair]) == {pair.pk}
