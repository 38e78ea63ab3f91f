"""Alerts for the security officer (ASVS 11.1.8), read from the audit log.

``tsunagari security_alerts`` looks back over a window (``--minutes``,
default 60) and reports, one line each:

* an account with at least ``ALERT_SIGN_IN_FAILURES`` wrong passwords or
  codes (default 5: the lock-out's own limit, so every lock-out is reported);
* wrong passwords across all accounts reaching ``ALERT_SIGN_IN_FAILURES_TOTAL``
  (default 30: someone trying many usernames);
* a member of staff refused at least ``ALERT_REFUSALS`` times (default 10:
  someone probing pages, records or the look-up limit they may not use);
* every replayed one-time code (a code seen over a shoulder or intercepted
  and tried again: ASVS 2.8.5).

It prints nothing and exits 0 when there is nothing to report, and prints the
lines and exits 1 otherwise, so a timer (cron, a systemd timer with
``OnFailure=``) can mail or forward exactly the runs that found something.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from tsunagari.audit.models import AuditAction, AuditEvent


@dataclass(frozen=True)
class Alert:
    kind: str
    who: str
    count: int

    def line(self, minutes: int) -> str:
        if self.kind == "failures":
            return f"{self.count} failed sign-ins (password or code) for account {self.who!r} in the last {minutes} min"
        if self.kind == "failures_total":
            return f"{self.count} failed sign-ins across all accounts in the last {minutes} min"
        if self.kind == "replay":
            return f"{self.count} replayed one-time codes for account {self.who!r} in the last {minutes} min"
        return f"{self.count} refusals for staff {self.who!r} in the last {minutes} min"


def security_alerts(minutes: int = 60, *, now: datetime | None = None) -> list[Alert]:
    since = (now or timezone.now()) - timedelta(minutes=minutes)
    failures = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, at__gte=since)
    alerts: list[Alert] = []
    per_account: dict[str, int] = {}
    for detail in failures.values_list("detail", flat=True):
        name = str((detail or {}).get("username", "")) or "?"
        per_account[name] = per_account.get(name, 0) + 1
    for name, count in sorted(per_account.items()):
        if count >= settings.ALERT_SIGN_IN_FAILURES:
            alerts.append(Alert("failures", name, count))
    total = sum(per_account.values())
    if total >= settings.ALERT_SIGN_IN_FAILURES_TOTAL:
        alerts.append(Alert("failures_total", "", total))
    replays: dict[str, int] = {}
    for detail in failures.filter(reason="確認コードの再使用").values_list("detail", flat=True):
        name = str((detail or {}).get("username", "")) or "?"
        replays[name] = replays.get(name, 0) + 1
    alerts.extend(Alert("replay", name, n) for name, n in sorted(replays.items()))
    refusals = (
        AuditEvent.objects.filter(action=AuditAction.DENIED, at__gte=since)
        .values("actor_username")
        .annotate(n=Count("pk"))
        .order_by("actor_username")
    )
    for row in refusals:
        if row["n"] >= settings.ALERT_REFUSALS:
            alerts.append(Alert("refusals", row["actor_username"] or "?", row["n"]))
    return alerts
