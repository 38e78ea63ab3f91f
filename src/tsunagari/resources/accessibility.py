"""A place's accessibility profile (7-1 まちのバリアフリー化): reading it,
the one action that records it, and its plain summary.

The profile lives on the place's first HSDS accessibility record (by id) as
``x_<feature>`` = yes / no / unknown, with the staff's note in ``details``,
so the HSDS export carries it and an import reads it back unchanged.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib.errors import FieldErrors
from tsunagari.resources.hsds import validate_record
from tsunagari.resources.hsds.schemas import ACCESSIBILITY_FEATURES, AVAILABILITY
from tsunagari.resources.models import (
    FEATURE_LABELS,
    Accessibility,
    Availability,
    Location,
    ServiceAtLocation,
)
from tsunagari.resources.store import profiles_of, reindex, to_record

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from tsunagari.accounts.models import Staff

    Actor = Staff | AnonymousUser | None

NOTE_MAX = 1000
# The summary an HSDS reader sees in ``description`` (Japanese, the ward's language).
_SUMMARY_WORD = {"yes": "あり", "no": "なし", "unknown": "未確認"}


class AccessibilityError(FieldErrors):
    """A profile that cannot be saved; ``errors`` says what to fix."""


@dataclass(frozen=True)
class Profile:
    """A place's profile as pages show it: every feature, unknown where not recorded."""

    location_id: str
    features: dict[str, str]
    note: str
    recorded: bool  # a profile record exists

    @property
    def complete(self) -> bool:
        return Availability.UNKNOWN not in self.features.values()

    @property
    def fingerprint(self) -> str:
        """What the editor saw; a save from another fingerprint is a conflict."""
        text = "|".join(f"{k}={v}" for k, v in sorted(self.features.items())) + "|" + self.note
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def rows(self) -> list[tuple[str, str, str]]:
        """(feature, label, value) in the pages' order."""
        return [(f, str(FEATURE_LABELS[f]), self.features[f]) for f in ACCESSIBILITY_FEATURES]


def _profile(location_id: str, acc: Accessibility | None) -> Profile:
    if acc is None:
        return Profile(location_id, dict.fromkeys(ACCESSIBILITY_FEATURES, "unknown"), "", False)
    return Profile(location_id, acc.features(), acc.details, True)


def profile_of(location_id: str) -> Profile:
    return _profile(location_id, profiles_of([location_id]).get(location_id))


def profiles_for(location_ids: list[str]) -> dict[str, Profile]:
    found = profiles_of(location_ids)
    return {lid: _profile(lid, found.get(lid)) for lid in location_ids}


def summary(features: dict[str, str]) -> str:
    """「段差のない入口: あり / エレベーター: なし / …」 for HSDS ``description``."""
    return " / ".join(
        f"{FEATURE_LABELS[f]}: {_SUMMARY_WORD[features[f]]}" for f in ACCESSIBILITY_FEATURES
    )


def record_accessibility(
    location_id: str,
    features: dict[str, str],
    note: str,
    *,
    seen: str | None,
    actor: Actor,
) -> Profile:
    """Record a place's accessibility profile (every feature yes/no/unknown, and a note).

    ``seen`` is the :attr:`Profile.fingerprint` the editor started from; if
    someone saved the profile since, nothing is written (None: the demo and
    commands, which do not edit from a page).

    Raises:
        PermissionDenied: ``actor`` may not keep the directory or this place.
        AccessibilityError: an unknown place or value, a note too long, or a
            conflicting save.
    """
    location = Location.objects.filter(id=location_id[:64]).first()
    if location is None:
        raise AccessibilityError({"location": _("その場所は登録されていません。")})
    require_actor(actor, Action.EDIT_DIRECTORY, location)
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for feature in ACCESSIBILITY_FEATURES:
        value = str(features.get(feature) or Availability.UNKNOWN)
        if value not in AVAILABILITY:
            errors[feature] = _("%(label)s は「あり」「なし」「未確認」から選んでください。") % {
                "label": FEATURE_LABELS[feature]
            }
        clean[feature] = value
    unknown = set(features) - set(ACCESSIBILITY_FEATURES)
    if unknown:
        errors["features"] = _("知らない項目があります: %(names)s") % {
            "names": ", ".join(sorted(unknown))[:200]
        }
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = _("メモは%(max)d文字以内にしてください（いま%(n)d文字）。") % {
            "max": NOTE_MAX,
            "n": len(note),
        }
    if errors:
        raise AccessibilityError(errors)
    with transaction.atomic():
        Location.objects.select_for_update().filter(id=location.id).first()
        acc = profiles_of([location.id]).get(location.id)
        before = _profile(location.id, acc)
        if seen is not None and seen != before.fingerprint:
            raise AccessibilityError(
                {
                    "seen": _(
                        "ほかの職員がこの場所のバリアフリー情報を先に保存しました。"
                        "画面を開き直して、保存された内容を確かめてから入れ直してください。"
                    )
                }
            )
        if acc is None:
            acc = Accessibility(id=str(uuid.uuid4()), location_id=location.id)
        for feature, value in clean.items():
            setattr(acc, f"x_{feature}", value)
        acc.details = note
        acc.description = summary(clean)
        problems = validate_record("accessibility", to_record(acc))
        if problems:
            raise AccessibilityError({"features": "; ".join(problems)[:500]})
        acc.save()
        after = _profile(location.id, acc)
        reindex(
            ServiceAtLocation.objects.filter(location_id=location.id).values_list(
                "service_id", flat=True
            )
        )
        changed = {
            f: [before.features[f], clean[f]]
            for f in ACCESSIBILITY_FEATURES
            if before.features[f] != clean[f]
        }
        staff = actor if getattr(actor, "is_authenticated", False) else None
        write_event(
            EventKind.ACCESSIBILITY_RECORDED,
            location,
            staff,  # type: ignore[arg-type]
            object_type="resources.location",
            changed=sorted(changed),
            complete=after.complete,
        )
        record(
            actor,
            "update",
            obj=location,
            object_type="resources.location",
            detail={
                "accessibility": changed,
                "note_changed": before.note != note,
            },
        )
    return after
