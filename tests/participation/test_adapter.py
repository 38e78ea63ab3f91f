"""The directory's places as the matching engine reads them: which are known to be quiet."""

from __future__ import annotations

import pytest

from tsunagari.participation.adapter import quiet_places
from tsunagari.resources.models import Accessibility, Location

pytestmark = pytest.mark.django_db


def place(pk: str, *, quiet_room: str | None, note: str = "") -> str:
    Location.objects.create(id=pk, name=f"集会所{pk}", x_town="北砂")
    if quiet_room is not None:
        Accessibility.objects.create(id=f"acc-{pk}", location_id=pk, details=note,
                                     x_quiet_room=quiet_room)  # fmt: skip
    return pk


def test_the_profiles_quiet_room_decides_whatever_the_notes_say() -> None:
    # given a place whose profile has a quiet room but whose note says nothing of calm,
    # and one whose profile has none although the note calls it 静か
    room = place("q-yes", quiet_room="yes", note="エレベーターあり")
    none = place("q-no", quiet_room="no", note="静かな雰囲気です")
    # when the engine's facts are read, then only the recorded quiet room counts
    assert quiet_places([room, none]) == {room}


def test_the_notes_words_count_only_where_no_profile_says() -> None:
    # given a place with no profile and a calm note, one whose feature is unchecked with
    # a calm note, and one with no profile and another note
    bare = place("w-none", quiet_room=None)
    Accessibility.objects.create(id="acc-w-none-note", location_id=bare, description="",
                                 details="刺激の少ない小部屋があります")  # fmt: skip
    unchecked = place("w-unknown", quiet_room="unknown", note="落ち着いた和室")
    loud = place("w-loud", quiet_room=None)
    Accessibility.objects.create(id="acc-w-loud", location_id=loud, details="広いホール")
    # then the words stand in for the missing profile
    assert quiet_places([bare, unchecked, loud]) == {bare, unchecked}
