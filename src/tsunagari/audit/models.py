"""Append-only, hash-chained audit log.

Every event stores the SHA-256 of its own content and of the previous
event, so an edited event breaks its own hash and a deleted one breaks the
chain (or, at the tail, disagrees with the head row). ``tsunagari audit
verify`` walks the chain and says where it breaks.

Writers never queue on one row: a writer that finds the head free chains
its event as it writes it; otherwise the event is written *unsealed* (no
``seq``, no hashes) and the sealer (``services.seal``) numbers and chains it
shortly after, in primary-key order of what has committed. An event's
``seq``, ``prev_hash`` and ``hash`` are set exactly once; nothing else ever
changes.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    # Someone looked at personal data (a page, an API answer, a search result).
    VIEW = "view", _("閲覧")
    # Personal data left the system (CSV, Excel, PDF, API bulk read).
    EXPORT = "export", _("出力")
    # A record was created.
    CREATE = "create", _("作成")
    # A record was changed.
    UPDATE = "update", _("変更")
    # A record was removed or closed.
    DELETE = "delete", _("削除")
    # Information released without consent (e.g. disaster, support meeting).
    RELEASE = "release", _("同意によらない提供")
    # Someone signed in.
    SIGN_IN = "sign_in", _("サインイン")
    # A sign-in failed (wrong password or locked account).
    SIGN_IN_FAILED = "sign_in_failed", _("サインイン失敗")
    # Someone signed out.
    SIGN_OUT = "sign_out", _("サインアウト")
    # Access was refused by the policy layer.
    DENIED = "denied", _("拒否")


_SEAL_FIELDS = frozenset({"seq", "prev_hash", "hash"})


class AuditEvent(models.Model):
    # Empty until the sealer chains the event; the chain's order is ``seq``, not the pk.
    seq = models.BigIntegerField(_("通番"), unique=True, null=True, blank=True)
    at = models.DateTimeField(_("日時"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("職員ID"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("職員"), max_length=150, blank=True)
    agency_code = models.CharField(_("所属機関"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("対象の種類"), max_length=64, blank=True)
    object_id = models.CharField(_("対象ID"), max_length=64, blank=True)
    person_id = models.CharField(_("本人ID"), max_length=64, blank=True, db_index=True)
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    detail = models.JSONField(_("詳細"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        # The chain first, then the unsealed tail in the order it will be sealed.
        ordering: ClassVar = [models.F("seq").asc(nulls_last=True), "pk"]
        verbose_name = _("監査イベント")
        verbose_name_plural = _("監査イベント")
        indexes: ClassVar = [
            # The sealer's and verify's "what is still unsealed" stays small and fast.
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_event_unsealed"
            ),
            # One member of staff's events since a moment (their previous sign-in).
            models.Index(fields=["actor_id", "at"], name="audit_event_actor_at"),
            # Their look-ups of the day, counted on every look-up against its
            # limit (people.lookup.check_rate): only the search events are
            # read, not every page they viewed that day.
            models.Index(
                fields=["actor_id", "at"],
                condition=models.Q(object_type="people.search", action="view"),
                name="audit_event_searches",
            ),
        ]

    def __str__(self) -> str:
        number = f"#{self.seq}" if self.seq is not None else f"(unsealed, id {self.pk})"
        return f"{number} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding:
            # Written unsealed, or sealed as written (the writer held the head): never half.
            parts = (self.seq is not None, bool(self.prev_hash), bool(self.hash))
            if any(parts) and not all(parts):
                raise RuntimeError(
                    "An audit event is written either unsealed or with its whole seal "
                    "(seq, prev_hash and hash)."
                )
            super().save(*args, **kwargs)
            return
        # The one change allowed: the sealer setting seq/prev_hash/hash, once.
        fields = kwargs.get("update_fields")
        if fields is None or set(fields) != _SEAL_FIELDS:
            raise RuntimeError("Audit events are append-only: they cannot be changed.")
        if self.seq is None or len(self.hash) != 64 or len(self.prev_hash) != 64:
            raise RuntimeError("Sealing an audit event needs its seq, prev_hash and hash.")
        updated = (
            type(self)
            ._base_manager.using(kwargs.get("using") or self._state.db)
            .filter(pk=self.pk, seq__isnull=True, prev_hash="", hash="")
            .update(seq=self.seq, prev_hash=self.prev_hash, hash=self.hash)
        )
        if updated != 1:
            raise RuntimeError(
                f"Audit event {self.pk} is already sealed (or gone): a seal is set once."
            )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise RuntimeError("Audit events are append-only: they cannot be deleted.")

    @property
    def sealed(self) -> bool:
        return self.seq is not None


class AuditHead(models.Model):
    """One row: the last sequence number and hash. Only the sealer takes it
    (never waiting for it on a request), so writers do not queue on it."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("監査ログの先頭")

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditSubject(models.Model):
    """A person an event showed, beside the one in ``person_id``.

    Lists, searches and worklists show many people at once. Their ids are
    in the event's ``detail["persons"]`` (so they are covered by the hash);
    these rows index them, so that "who looked at this person" finds the
    list views too. They are written with their event and never changed.
    """

    event = models.ForeignKey(AuditEvent, on_delete=models.PROTECT, related_name="subjects")
    person_id = models.CharField(_("本人ID"), max_length=64, db_index=True)

    class Meta:
        verbose_name = _("監査イベントの対象者")
        verbose_name_plural = _("監査イベントの対象者")

    def __str__(self) -> str:
        return f"#{self.event_id} → {self.person_id}"
