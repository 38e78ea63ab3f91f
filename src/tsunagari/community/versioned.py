"""Records that staff create and later correct, with an optimistic lock.

Kept in community (the first app to need it; awareness shares it) and not in
``lib``, whose modules are engines without Django (tests/test_import_contract.py).

A correction read at ``version`` is refused when someone saved the record
since (the version moved on), so nothing one person typed is overwritten
unseen by another. ``community.models.VersionedRecord`` holds the four
fields such a record keeps; :class:`VersionedEdits` is the create-and-correct pair of an
app's actions, each writing the app's named event and the audit record with
the facts that changed. The app's verb still checks the permission first:

    _edits = VersionedEdits(Activity, EventKind.AWARENESS_RECORDED, AwarenessError,
                            facts=_facts, name="activity", missing=..., stale=...)

    def correct_activity(actor, activity_id, data, *, version):
        require_actor(actor, Action.WORK_AWARENESS)
        return _edits.correct(actor, activity_id, version, lambda errors: check(data, errors),
                              change="corrected", reason="awareness activity corrected")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import transaction

from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.community.models import VersionedRecord
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.lib.errors import FieldErrors

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from tsunagari.accounts.models import Staff
    from tsunagari.events.models import EventKind


R = TypeVar("R", bound=VersionedRecord)
# Fills ``errors`` (field -> what to fix) and returns the checked field values.
Check = Callable[[dict[str, str]], dict[str, Any]]


@dataclass(frozen=True)
class VersionedEdits(Generic[R]):
    """Create and correct records of ``model``, each with its event and audit record.

    ``facts`` are what the event and the audit record carry (codes, counts,
    dates; never a person's name); a correction names the facts it changed.
    ``name`` is the field of the ``missing`` message, ``stale`` the message
    when someone saved the record since it was read.
    """

    model: type[R]
    event: EventKind
    error: type[FieldErrors]
    facts: Callable[[R], dict[str, Any]]
    name: str
    missing: _StrOrPromise
    stale: _StrOrPromise

    def _checked(self, check: Check) -> dict[str, Any]:
        errors: dict[str, str] = {}
        values = check(errors)
        if errors:
            raise self.error(errors)
        return values

    def create(self, actor: Staff | None, check: Check, *, change: str, reason: str) -> R:
        """A new record of the checked values (``error`` with what to fix, nothing written)."""
        with transaction.atomic():
            values = self._checked(check)
            now = clock.now()
            obj = self.model._default_manager.create(
                **values, created=now, updated=now, created_by=actor
            )
            facts = self.facts(obj)
            write_event(self.event, obj, actor, change=change, **facts)
            record(actor, AuditAction.CREATE, obj=obj, reason=reason, detail=facts)
        return obj

    def correct(
        self, actor: Staff | None, pk: int, version: int, check: Check, *, change: str, reason: str
    ) -> R:
        """The record ``pk`` with the checked values, refused if saved since ``version``."""
        with transaction.atomic():
            obj = self.model._default_manager.select_for_update().filter(pk=pk).first()
            if obj is None:
                raise self.error({self.name: str(self.missing)})
            if obj.version != version:
                raise self.error({"version": str(self.stale)})
            values = self._checked(check)
            before = self.facts(obj)
            for field_name, value in values.items():
                setattr(obj, field_name, value)
            obj.updated = clock.now()
            obj.version += 1
            obj.save()
            after = self.facts(obj)
            changed = sorted(k for k in after if after[k] != before[k])
            write_event(self.event, obj, actor, change=change, fields=changed, **after)
            record(actor, AuditAction.UPDATE, obj=obj, reason=reason,
                   detail={"fields": changed, **after})  # fmt: skip
        return obj
