"""What a member of staff is told when they sign in (ASVS 2.2.3, 2.5.5).

After each password sign-in the next page says when the previous sign-in
was, how many wrong passwords or codes were tried on the account since, and
whether its password, initial password or authenticator changed since:
someone else's use of the account, or a change the person did not make, is
seen at the next sign-in. Read from the audit log; nothing is sent outside
the application (no e-mail or push).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from tsunagari.audit.models import AuditAction, AuditEvent

#: Audit reasons of changes to how the account signs in.
CREDENTIAL_CHANGES = (
    "本人によるパスワード変更",
    "初期パスワードの発行",
    "二要素認証の設定",
    "二要素認証の端末の削除（紛失など）",
)


def sign_in_notices(staff: Any, *, now: Any = None) -> list[tuple[int, str]]:
    """The (level, text) notices for a sign-in happening ``now``."""
    now = now or timezone.now()
    previous = (
        AuditEvent.objects.filter(
            actor_id=staff.pk,
            action=AuditAction.SIGN_IN,
            reason="",
            at__lt=now - timedelta(seconds=2),
        )
        .order_by("-at")
        .first()
    )
    if previous is None:
        return []
    since = previous.at
    notices = [
        (
            messages.INFO,
            gettext("前回のサインイン: %(at)s")
            % {"at": date_format(timezone.localtime(since), "Y-m-d H:i")},
        )
    ]
    failed = AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, at__gt=since, detail__username=staff.get_username()
    ).count()
    if failed:
        notices.append(
            (
                messages.WARNING,
                ngettext(
                    "前回のサインインの後、このアカウントでパスワードまたは確認コードの誤りが"
                    "%(n)d回ありました。心当たりがなければ、パスワードを変更して管理者に知らせてください。",
                    "前回のサインインの後、このアカウントでパスワードまたは確認コードの誤りが"
                    "%(n)d回ありました。心当たりがなければ、パスワードを変更して管理者に知らせてください。",
                    failed,
                )
                % {"n": failed},
            )
        )
    changes = AuditEvent.objects.filter(
        object_type="accounts.staff",
        object_id=str(staff.pk),
        reason__in=CREDENTIAL_CHANGES,
        at__gt=since,
    ).order_by("at")
    for change in changes:
        notices.append(
            (
                messages.WARNING,
                gettext(
                    "%(at)s に、このアカウントのサインインの設定が変わりました（%(what)s）。"
                    "心当たりがなければ、すぐに管理者に知らせてください。"
                )
                % {
                    "at": date_format(timezone.localtime(change.at), "Y-m-d H:i"),
                    "what": change.reason,
                },
            )
        )
    return notices


@receiver(user_logged_in, dispatch_uid="tsunagari.accounts.notices.on_sign_in")
def _tell_on_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    for level, text in sign_in_notices(user):
        messages.add_message(request, level, text, fail_silently=True)
