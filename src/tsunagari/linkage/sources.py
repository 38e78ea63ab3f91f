"""The department extracts a run may read and the legal basis for each.

A run refuses any extract whose source has no recorded basis (条例・法令・
本人同意): the basis is on record before the data is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, require_actor
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record
from tsunagari.events.models import EventKind
from tsunagari.events.services import write_event
from tsunagari.lib import clock
from tsunagari.linkage.models import SOURCE_LABELS, DataSource, source_label, source_order

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff


class LinkageError(Exception):
    """A run cannot start or failed, or a decision is incomplete; the message
    is for the ward officer."""


def ensure_default_sources() -> list[DataSource]:
    """The ward's usual extracts, listed even before a basis is recorded."""
    for name, label in SOURCE_LABELS.items():
        DataSource.objects.get_or_create(name=name, defaults={"label": str(label)})
    return sorted(DataSource.objects.all(), key=lambda s: source_order(s.name))


def source_labels(names: Iterable[str]) -> list[str]:
    """Japanese names of sources, in display order (registry first)."""
    return [source_label(n) for n in sorted(set(names), key=source_order)]


def record_basis(
    staff: Staff | None, source: DataSource, kind: str, text: str, reference: str
) -> DataSource:
    """Record the legal basis for linking ``source``, audited with it.

    ``staff`` None is the operator at the server (the demo loader).

    Raises:
        PermissionDenied: ``staff`` may not run imports.
    """
    require_actor(staff, Action.RUN_IMPORTS, source)
    with transaction.atomic():
        source.basis_kind = kind
        source.basis_text = text.strip()
        source.basis_reference = reference.strip()
        source.recorded_by = staff
        source.recorded_at = clock.now()
        source.save()
        write_event(EventKind.LINKAGE_BASIS_RECORDED, source, staff, basis_kind=source.basis_kind)
        record(
            staff,
            AuditAction.UPDATE,
            obj=source,
            detail={"basis_kind": source.basis_kind, "reference": source.basis_reference},
        )
    return source


def check_sources(file_names: Iterable[str]) -> list[str]:
    """Source names of the files, refusing any without a recorded legal basis.

    Raises:
        LinkageError: naming the first file whose source is unknown or has
            no recorded basis.
    """
    names: list[str] = []
    known = {s.name: s for s in DataSource.objects.all()}
    for file_name in file_names:
        stem = Path(file_name).stem
        source = known.get(stem)
        if source is None or not source.has_basis:
            raise LinkageError(
                _(
                    "%(file)s: データ元「%(source)s」の目的外利用の法的根拠（条例・法令・本人同意）"
                    "が記録されていないため、読み込めません。先に「データ元と法的根拠」で記録してください。"
                )
                % {"file": file_name, "source": source_label(stem)}
            )
        names.append(stem)
    return names
