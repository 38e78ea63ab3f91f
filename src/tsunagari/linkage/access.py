"""Linkage's object rules in the one policy layer (``tsunagari.accounts.policy``).

* Deciding a same-person pair (``REVIEW_LINKS`` on a ``ReviewPair``): only a
  pair of a finished run. A run still storing its results, or one that
  failed, offers nothing a later run should apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from tsunagari.accounts.policy import Action, Decision, register_object_rule
from tsunagari.linkage.models import LinkageRun, ReviewPair, RunStatus

if TYPE_CHECKING:
    from tsunagari.accounts.models import Staff


def _pair_rule(staff: Staff, pair: ReviewPair) -> Decision:
    status = LinkageRun.objects.filter(pk=pair.run_id).values_list("status", flat=True).first()
    if status != RunStatus.DONE:
        return Decision(
            False,
            _(
                "この組み合わせのデータ連携は完了していないため、判断できません。"
                "完了した最新の実行の確認待ち一覧から判断してください。"
            ),
        )
    return Decision(True)


def register() -> None:
    register_object_rule(Action.REVIEW_LINKS, ReviewPair, _pair_rule)
