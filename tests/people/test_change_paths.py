"""The edit action and the registry import classify a change the same way
and write the same history rows and the same named events."""

from __future__ import annotations

from pathlib import Path

from tsunagari.accounts.models import Agency, Staff
from tsunagari.events.models import DomainEvent
from tsunagari.people.importer import import_registry
from tsunagari.people.models import AgencyLink, LinkBasis, Person, PersonChange
from tsunagari.people.services import PersonInput, update_person

HEADER = "record_id,resident_id,name_kanji,name_kana,birth_date,sex,address,phone,household_id\n"


def _csv(tmp_path: Path, rid: str, name: str, kana: str, address: str) -> Path:
    path = tmp_path / f"{rid}-{name}.csv"
    path.write_text(HEADER + f"R-{rid},{rid},{name},{kana},1980-02-03,2,{address},03-1111-2222,\n",
                    encoding="utf-8")  # fmt: skip
    return path


def _history(person: Person) -> list[tuple[str, str, str, str]]:
    return sorted(
        (c.kind, c.field, c.old_value, c.new_value)
        for c in PersonChange.objects.filter(person=person)
    )


def _events(person: Person) -> list[tuple[str, list[str], list[str]]]:
    return [
        (e.kind, e.data.get("fields", []), e.data.get("kinds", []))
        for e in DomainEvent.objects.filter(person=person, kind="person.changed")
    ]


def test_it_writes_the_same_history_and_events_from_an_edit_and_an_import(
    personas: dict[str, Staff], tmp_path: Path
) -> None:
    # given two identical people registered from the registry
    for rid in ("2000000011", "2000000029"):
        import_registry(_csv(tmp_path, rid, "青木　美咲", "アオキ　ミサキ", "江東区大島4-1-1"))
    edited = Person.objects.get(resident_id="2000000011")
    imported = Person.objects.get(resident_id="2000000029")
    AgencyLink.objects.create(person=edited, agency=Agency.objects.get(code="lsc-16"),
                              basis=LinkBasis.SERVICE)  # fmt: skip
    # when one marries and moves, recorded by a consultant on the page's action
    update_person(personas["consultant.elderly"], edited.pk, PersonInput(
        name="森　美咲", kana="モリ　ミサキ", birth_date="1980-02-03", sex="2",
        address="江東区豊洲2-2-2", phone="03-1111-2222", resident_id="2000000011"),
        expected_version=edited.version)  # fmt: skip
    # and the other's marriage and move arrive in the next registry extract
    import_registry(_csv(tmp_path, "2000000029", "森　美咲", "モリ　ミサキ", "江東区豊洲2-2-2"))
    # then both have the same history rows and the same named event
    assert _history(edited) == _history(imported)
    assert {row[1] for row in _history(edited)} == {"surname", "surname_kana", "address"}
    assert _events(edited) == _events(imported) != []
    assert DomainEvent.objects.filter(person=imported, kind="person.registered").count() == 1
