"""How much one member of staff may keep in the data folder (ASVS 12.1.3).

Council papers, plan evidence, survey files waiting to be imported and
linkage extracts are stored as files. Each is small enough on its own (the
apps cap every file), but nothing stopped one account from filling the
server's disk with many of them. Every app that stores a member of staff's
files registers how to count them (``register_store``); every upload asks
:func:`check` first, which refuses with a message that says how much is
stored, what the limit is and what to do.

The limits are ``UPLOAD_QUOTA_MB`` and ``UPLOAD_QUOTA_FILES`` per member of
staff. Files deleted, imported or discarded no longer count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext

__all__ = ["QuotaExceeded", "Stored", "check", "register_store", "stored_by"]


@dataclass(frozen=True)
class Stored:
    files: int = 0
    bytes: int = 0

    def __add__(self, other: Stored) -> Stored:
        return Stored(self.files + other.files, self.bytes + other.bytes)


# name -> what that store holds for a staff member's pk
_STORES: dict[str, Callable[[int], Stored]] = {}


def register_store(name: str, count: Callable[[int], Stored]) -> None:
    """Count the files ``name`` keeps for a member of staff (by pk)."""
    _STORES[name] = count


def stored_by(staff_id: int) -> Stored:
    total = Stored()
    for count in _STORES.values():
        total = total + count(staff_id)
    return total


class QuotaExceeded(Exception):
    """The upload would take the member of staff over their share."""


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}"


def check(staff_id: int | None, adding_bytes: int, adding_files: int = 1) -> None:
    """Refuse an upload that would go over the staff member's share.

    ``staff_id`` None is the operator at the server (commands, the demo):
    not limited. Two uploads at the same moment may both pass at the edge;
    a share of the disk needs no more precision than that.

    Raises:
        QuotaExceeded: with a message naming what is stored, the limit and what to do.
    """
    if staff_id is None:
        return
    max_bytes = settings.UPLOAD_QUOTA_MB * 1024 * 1024
    max_files = settings.UPLOAD_QUOTA_FILES
    now = stored_by(staff_id)
    if now.bytes + adding_bytes > max_bytes or now.files + adding_files > max_files:
        raise QuotaExceeded(
            gettext(
                "保存できる量の上限を超えるため、アップロードできません。あなたが保存している"
                "ファイルは %(files)s 件・%(mb)s MB で、上限は %(max_files)s 件・%(max_mb)s MB です。"
                "不要になった資料を削除するか、管理者に上限の変更を相談してください。"
            )
            % {
                "files": now.files,
                "mb": _mb(now.bytes),
                "max_files": max_files,
                "max_mb": settings.UPLOAD_QUOTA_MB,
            }
        )
