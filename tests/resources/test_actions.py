"""The directory's write functions own their write: the policy's rules (with
the object rule for confidential places) are checked by the functions
themselves, not only by the pages, and a write and its audit record land
together or not at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tsunagari.accounts import policy
from tsunagari.accounts.models import Role, Staff
from tsunagari.accounts.policy import Action, allowed
from tsunagari.audit.models import AuditEvent
from tsunagari.resources import services
from tsunagari.resources.models import Location, Service

from .conftest import FIXTURES


def _open_service() -> Service:
    service = Service.objects.filter(x_confidential=False).order_by("id").first()
    assert service is not None
    return service


def _audited(service: Service) -> int:
    return AuditEvent.objects.filter(object_type="resources.service", object_id=service.id).count()


def _grant(monkeypatch: pytest.MonkeyPatch, role: str, *actions: Action) -> None:
    monkeypatch.setitem(policy.ROLE_ACTIONS, role, policy.ROLE_ACTIONS[role] | set(actions))


def test_it_refuses_an_edit_at_the_service_to_someone_who_does_not_keep_the_directory(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    # Given a consultant, who reads the directory but does not keep it
    service = _open_service()
    # When the edit function is called for them directly
    with pytest.raises(PermissionDenied):
        services.update_service(
            service.id, {"name": "書き換え"}, expected_version=service.version,
            actor=personas["consultant.self"],
        )  # fmt: skip
    # Then nothing changed and nothing was audited
    service.refresh_from_db()
    assert service.name != "書き換え" and _audited(service) == 0


def test_it_refuses_a_verification_at_the_service_to_a_council_member(
    personas: dict[str, Staff], demo_directory: int
) -> None:
    service = _open_service()
    checked = (service.assured_date, service.x_verified_by)
    with pytest.raises(PermissionDenied):
        services.verify_service(service.id, actor=personas["council"])
    service.refresh_from_db()
    assert (service.assured_date, service.x_verified_by) == checked and _audited(service) == 0


def test_it_refuses_a_new_entry_at_the_service_to_a_planner(
    personas: dict[str, Staff], db: None
) -> None:
    with pytest.raises(PermissionDenied):
        services.create_service(
            {"name": "新しいサロン", "x_kind": "salon"}, actor=personas["planner"]
        )
    assert not Service.objects.filter(name="新しいサロン").exists()


def test_it_refuses_an_anonymous_edit_at_the_service(demo_directory: int) -> None:
    from django.contrib.auth.models import AnonymousUser

    service = _open_service()
    with pytest.raises(PermissionDenied):
        services.verify_service(service.id, actor=AnonymousUser())


def test_it_keeps_a_shelter_from_an_editor_who_may_not_see_confidential_places(
    personas: dict[str, Staff],
    shelter: tuple[Service, Location],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a planner allowed to edit the directory, but not to see shelters
    _grant(monkeypatch, Role.PLANNER, Action.EDIT_DIRECTORY)
    service, _location = shelter
    planner = personas["planner"]
    # Then the policy's object rule refuses them the shelter, not an ordinary entry
    assert not allowed(planner, Action.EDIT_DIRECTORY, service)
    assert allowed(planner, Action.EDIT_DIRECTORY, _open_service())
    # and the write functions themselves refuse the shelter
    with pytest.raises(PermissionDenied, match="非公開"):
        services.update_service(
            service.id, {"name": "変更"}, expected_version=service.version, actor=planner
        )
    with pytest.raises(PermissionDenied, match="非公開"):
        services.verify_service(service.id, actor=planner)
    with pytest.raises(PermissionDenied, match="非公開"):
        services.create_service(
            {"name": "新しい避難先", "x_kind": "shelter", "x_confidential": True}, actor=planner
        )
    assert _audited(service) == 0
    assert not Service.objects.filter(name="新しい避難先").exists()


def test_it_hides_a_shelter_from_readers_who_may_not_see_confidential_places(
    personas: dict[str, Staff], shelter: tuple[Service, Location]
) -> None:
    service, _location = shelter
    assert not allowed(personas["planner"], Action.VIEW_DIRECTORY, service)
    assert not allowed(personas["council"], Action.VIEW_DIRECTORY, service)
    assert allowed(personas["consultant.self"], Action.VIEW_DIRECTORY, service)
    assert allowed(personas["planner"], Action.VIEW_DIRECTORY, _open_service())


def test_it_refuses_an_import_at_the_service_to_someone_who_may_not_run_imports(
    personas: dict[str, Staff], db: None
) -> None:
    with pytest.raises(PermissionDenied):
        services.import_file(FIXTURES / "organization_full.json", actor=personas["community"])
    assert not Service.objects.exists()


def test_it_refuses_a_full_export_to_someone_who_may_not_see_confidential_places(
    personas: dict[str, Staff],
    demo_directory: int,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given a planner allowed to run imports and exports, but not to see shelters
    _grant(monkeypatch, Role.PLANNER, Action.RUN_IMPORTS)
    planner = personas["planner"]
    # When they export everything, they are refused; the public export is theirs
    with pytest.raises(PermissionDenied):
        services.export_directory(tmp_path / "all.json", fmt="json", public=False, actor=planner)
    assert not (tmp_path / "all.json").exists()
    result = services.export_directory(
        tmp_path / "public.json", fmt="json", public=True, actor=planner
    )
    assert result.records > 0


def test_it_keeps_no_edit_when_its_audit_record_cannot_be_written(
    personas: dict[str, Staff], demo_directory: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the audit log cannot be written
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "record", broken)
    service = _open_service()
    version, name = service.version, service.name
    # When community staff edit an entry
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        services.update_service(
            service.id, {"name": "書き換え", "phone": "03-9999-0000"},
            expected_version=version, actor=personas["community"],
        )  # fmt: skip
    # Then the entry, its phone and its version are as they were
    service.refresh_from_db()
    assert (service.version, service.name) == (version, name)
    assert services.contact_values(service)["phone"] != "03-9999-0000"


def test_it_keeps_no_new_entry_when_its_audit_record_cannot_be_written(
    personas: dict[str, Staff], db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.create_service(
            {"name": "新しいサロン", "x_kind": "salon", "phone": "03-1111-2222"},
            actor=personas["community"],
        )
    assert not Service.objects.filter(name="新しいサロン").exists()
    assert not Location.objects.exists()
