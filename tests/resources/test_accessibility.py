"""A place's accessibility profile (7-1): recorded by one action (permission,
event, audit, conflicts), searched on instead of words in descriptions, and
carried through HSDS 3 export and import unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tsunagari.accounts import policy
from tsunagari.accounts.models import Role, Staff
from tsunagari.accounts.policy import Action
from tsunagari.audit.models import AuditEvent
from tsunagari.events.models import DomainEvent, EventKind
from tsunagari.resources.accessibility import (
    AccessibilityError,
    profile_of,
    record_accessibility,
)
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES
from tsunagari.resources.models import (
    MODELS,
    Accessibility,
    HsdsRecord,
    Location,
    Service,
    ServiceAtLocation,
)
from tsunagari.resources.services import (
    SearchQuery,
    export_directory,
    import_file,
    search_services,
)

ALL_NO = dict.fromkeys(ACCESSIBILITY_FEATURES, "no")


def _public_place() -> tuple[Service, Location]:
    service = Service.objects.filter(is_public=True, x_kind="salon").order_by("id").first()
    assert service is not None
    sal = ServiceAtLocation.objects.filter(service_id=service.id).first()
    assert sal is not None
    return service, Location.objects.get(id=sal.location_id)


def _found(**query: Any) -> set[str]:
    return set(search_services(SearchQuery(**query)).values_list("id", flat=True))


def test_it_records_a_profile_with_its_event_and_audit_record(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    # given a place and community staff, who keep the directory
    _service, place = _public_place()
    seen = profile_of(place.id).fingerprint
    # when they record the profile
    features = ALL_NO | {"lift": "yes", "braille": "unknown"}
    profile = record_accessibility(
        place.id, features, "入口は裏側です。", seen=seen, actor=personas["community"]
    )
    # then it is stored on the place's HSDS accessibility record
    assert profile_of(place.id).features == features
    assert profile_of(place.id).note == "入口は裏側です。"
    assert not profile.complete
    # and a named event and an audit record say who did it
    event = DomainEvent.objects.get(kind=EventKind.ACCESSIBILITY_RECORDED, object_id=place.id)
    assert event.actor == personas["community"] and event.data["complete"] is False
    assert AuditEvent.objects.filter(
        object_type="resources.location", object_id=place.id, action="update"
    ).exists()


def test_it_refuses_a_profile_to_someone_who_does_not_keep_the_directory(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    _service, place = _public_place()
    before = profile_of(place.id)
    with pytest.raises(PermissionDenied):
        record_accessibility(place.id, ALL_NO, "", seen=None, actor=personas["consultant.self"])
    assert profile_of(place.id) == before
    assert not DomainEvent.objects.filter(kind=EventKind.ACCESSIBILITY_RECORDED).exists()


def test_it_refuses_a_confidential_place_to_an_editor_who_may_not_see_it(
    personas: dict[str, Staff], demo_directory: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a council member allowed to edit the directory, but not to see shelters
    monkeypatch.setitem(
        policy.ROLE_ACTIONS,
        Role.COUNCIL_MEMBER,
        policy.ROLE_ACTIONS[Role.COUNCIL_MEMBER] | {Action.EDIT_DIRECTORY},
    )
    shelter = Location.objects.filter(x_confidential=True).order_by("id").first()
    open_place = _public_place()[1]
    assert shelter is not None
    # then the shelter's profile is refused, while an open place's is not
    with pytest.raises(PermissionDenied):
        record_accessibility(shelter.id, ALL_NO, "", seen=None, actor=personas["council"])
    record_accessibility(open_place.id, ALL_NO, "", seen=None, actor=personas["council"])


def test_it_refuses_a_save_over_someone_elses_newer_profile(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    # given two editors who opened the same profile
    _service, place = _public_place()
    seen = profile_of(place.id).fingerprint
    record_accessibility(place.id, ALL_NO, "先", seen=seen, actor=personas["community"])
    # when the second saves from what they saw before
    with pytest.raises(AccessibilityError) as err:
        record_accessibility(
            place.id, ALL_NO | {"lift": "yes"}, "後", seen=seen, actor=personas["admin"]
        )
    # then nothing of theirs is written and they are told why
    assert "seen" in err.value.errors
    assert profile_of(place.id).note == "先"


@pytest.mark.parametrize(
    ("features", "note", "field"),
    [
        ({"lift": "maybe"}, "", "lift"),
        ({"elevator": "yes"}, "", "features"),
        ({}, "あ" * 1001, "note"),
    ],
)
def test_it_says_what_to_fix_in_a_bad_profile(
    personas: dict[str, Staff],
    demo_directory: int,
    features: dict[str, str],
    note: str,
    field: str,
) -> None:
    _service, place = _public_place()
    with pytest.raises(AccessibilityError) as err:
        record_accessibility(place.id, features, note, seen=None, actor=personas["community"])
    assert field in err.value.errors


def test_it_searches_on_the_profile_not_on_words_in_descriptions(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    # given a place whose description praises its access but whose profile is unknown
    service, place = _public_place()
    Accessibility.objects.filter(location_id=place.id).delete()
    Accessibility.objects.create(
        id="0b4c5a3e-2222-4c1b-9a51-000000000001",
        location_id=place.id,
        description="車いすで利用できます（バリアフリー）",
    )
    from tsunagari.resources.store import reindex

    reindex([service.id])
    # then a search for step-free access leaves it out
    assert service.id not in _found(features=("step_free",))
    assert service.id not in _found(wheelchair=True)
    # when the profile records a step-free entrance and a hearing loop
    record_accessibility(
        place.id,
        {"step_free": "yes", "hearing_loop": "yes"},
        "",
        seen=None,
        actor=personas["community"],
    )
    # then it is found by each, and by both, but not by a feature it lacks
    assert service.id in _found(features=("step_free",))
    assert service.id in _found(wheelchair=True)
    assert service.id in _found(features=("step_free", "hearing_loop"))
    assert service.id not in _found(features=("step_free", "braille"))


def test_it_gives_the_demo_places_realistic_profiles_with_some_unknown(
    demo_directory: int,
) -> None:
    rows = list(Accessibility.objects.all())
    values = [v for acc in rows for v in acc.features().values()]
    assert {"yes", "no", "unknown"} <= set(values)
    assert any(acc.complete for acc in rows) and not all(acc.complete for acc in rows)


def _wipe() -> None:
    for model in MODELS.values():
        model._default_manager.all().delete()
    HsdsRecord.objects.all().delete()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_it_round_trips_the_profile_through_hsds_export_and_import(
    personas: dict[str, Staff], demo_directory: int, tmp_path: Path, fmt: str
) -> None:
    # given a profile with every kind of answer and a note
    _service, place = _public_place()
    features = {
        "step_free": "yes",
        "lift": "no",
        "accessible_toilet": "yes",
        "hearing_loop": "unknown",
        "braille": "no",
        "seating": "yes",
        "parking": "unknown",
        "quiet_room": "yes",
    }
    record_accessibility(
        place.id, features, "スロープは裏口、呼び鈴あり。", seen=None, actor=personas["community"]
    )
    before = {lid: p for lid, p in _profiles().items()}
    # when the directory is exported as HSDS, wiped, and imported again
    out = tmp_path / ("directory.json" if fmt == "json" else "package")
    result = export_directory(out, fmt=fmt, public=False, actor=None)
    assert not result.problems, result.problems[:3]
    _wipe()
    report = import_file(out, actor=None)
    assert not report.refused, report.lines()
    # then every place has the same profile
    assert _profiles() == before
    assert profile_of(place.id).features == features
    assert profile_of(place.id).note == "スロープは裏口、呼び鈴あり。"
    # and the search columns are rebuilt from it
    assert Service.objects.filter(access_features__contains="|quiet_room|").exists()


def _profiles() -> dict[str, tuple[dict[str, str], str]]:
    return {
        acc.location_id: (acc.features(), acc.details)
        for acc in Accessibility.objects.order_by("id")
    }


def test_it_exports_the_profile_in_hsds_accessibility_fields(
    personas: dict[str, Staff], demo_directory: int, tmp_path: Path
) -> None:
    _service, place = _public_place()
    record_accessibility(
        place.id, ALL_NO | {"lift": "yes"}, "メモ", seen=None, actor=personas["community"]
    )
    export_directory(tmp_path / "d.json", fmt="json", public=True, actor=None)
    data = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    text = json.dumps(data, ensure_ascii=False)
    assert '"x_lift": "yes"' in text
    assert "エレベーター: あり" in text and '"details": "メモ"' in text


def test_it_refuses_an_import_with_an_unknown_availability_value(db: None, tmp_path: Path) -> None:
    from .conftest import org_document

    doc = org_document()
    doc["locations"] = [
        {
            "id": "0b4c5a3e-1111-4c1b-9a51-000000000010",
            "name": "会館",
            "location_type": "physical",
            "accessibility": [{"id": "0b4c5a3e-1111-4c1b-9a51-000000000011", "x_lift": "maybe"}],
        }
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    report = import_file(path, actor=None)
    assert report.refused
    assert any("x_lift" in str(r) for r in report.rejections)
    assert not Accessibility.objects.exists()


def test_it_reads_a_foreign_record_without_a_profile_as_unknown(db: None, tmp_path: Path) -> None:
    from .conftest import org_document

    doc = org_document()
    doc["locations"] = [
        {
            "id": "0b4c5a3e-1111-4c1b-9a51-000000000010",
            "name": "会館",
            "location_type": "physical",
            "accessibility": [
                {
                    "id": "0b4c5a3e-1111-4c1b-9a51-000000000011",
                    "description": "Wheelchair access on all levels.",
                }
            ],
        }
    ]
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert not import_file(path, actor=None).refused
    profile = profile_of("0b4c5a3e-1111-4c1b-9a51-000000000010")
    assert set(profile.features.values()) == {"unknown"}


def test_it_filters_the_public_api_on_the_profile(demo_directory: int, client: Any) -> None:
    service, place = _public_place()
    record_accessibility(
        place.id, ALL_NO | {"quiet_room": "yes", "braille": "yes"}, "", seen=None, actor=None
    )
    found = json.loads(
        client.get("/api/hsds/services?accessibility=quiet_room,braille&per_page=50").content
    )
    ids = {s["id"] for s in found["contents"]}
    assert service.id in ids
    expected = Service.objects.filter(
        access_features__contains="|quiet_room|", x_confidential=False, awaiting_check=False
    ).filter(access_features__contains="|braille|")
    assert ids == set(expected.values_list("id", flat=True))
