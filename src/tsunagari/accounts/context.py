from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

from tsunagari.accounts.policy import Action, actions_for
from tsunagari.accounts.waiting import badge_for


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    name: str


_NAV: list[tuple[str, StrOrPromise, Action]] = [
    ("accounts:home", _("ホーム"), Action.VIEW_HOME),
    ("people:search", _("本人の検索"), Action.VIEW_PERSONAL_DATA),
    ("consultations:worklist", _("相談・つなぎ"), Action.WORK_CONSULTATIONS),
    ("consultations:needs", _("依頼一覧"), Action.WORK_NEEDS),
    ("cases:list", _("多機関協働の事例"), Action.VIEW_PERSONAL_DATA),
    ("cases:dashboard", _("多機関協働の状況"), Action.WORK_CASES),
    ("outreach:list", _("アウトリーチ"), Action.WORK_OUTREACH),
    ("consumer:inbox", _("消費者被害の注意情報"), Action.VIEW_CONSUMER_ALERTS),
    ("participation:home", _("参加支援"), Action.WORK_PARTICIPATION),
    ("linkage:candidates", _("早期把握の候補"), Action.VIEW_FLAGS),
    ("resources:directory", _("地域資源"), Action.VIEW_DIRECTORY),
    ("community:list", _("地域づくり"), Action.WORK_COMMUNITY),
    ("barriers:list", _("まちのバリアの報告"), Action.WORK_BARRIER_REPORTS),
    ("awareness:index", _("啓発活動"), Action.WORK_AWARENESS),
    ("surveys:index", _("実態調査"), Action.VIEW_AGGREGATES),
    ("council:home", _("連携会議"), Action.USE_COUNCIL_WORKSPACE),
    ("plan:tree", _("地域福祉計画"), Action.VIEW_PLAN),
    ("disaster:index", _("避難行動要支援者名簿"), Action.WORK_EVACUATION),
    ("accounts:agencies", _("関係機関"), Action.VIEW_AGENCIES),
    ("accounts:staff", _("職員"), Action.VIEW_STAFF),
    ("workforce:index", _("福祉人材"), Action.MANAGE_WORKFORCE),
    ("linkage:runs", _("データ連携"), Action.RUN_IMPORTS),
    ("linkage:review", _("同一人物の確認"), Action.REVIEW_LINKS),
    ("people:openings", _("本人来所による閲覧"), Action.REVIEW_OPENINGS),
    ("safeguarding:list", _("虐待・暴力の通報"), Action.WORK_SAFEGUARDING),
    ("audit:log", _("監査ログ"), Action.VIEW_AUDIT_LOG),
]


def action_for_page(name: str) -> Action | None:
    """The action a page of the menu needs (None for pages not in the menu)."""
    for url_name, _label, action in _NAV:
        if url_name == name:
            return action
    return None


_URLS: dict[tuple[str, object, str], str] = {}


def _url(name: str) -> str:
    """``reverse(name)``, worked out once per process: the menu is on every
    page and its addresses take no arguments."""
    key = (get_script_prefix(), get_urlconf(), name)
    url = _URLS.get(key)
    if url is None:
        url = _URLS[key] = reverse(name)
    return url


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    granted = actions_for(user)
    items = [
        NavItem(str(label), _url(name), name) for name, label, action in _NAV if action in granted
    ]
    # Counted only when a template shows the badge (not for htmx partials);
    # a page that has counted already (the home page) passes its own counts.
    return {"nav_items": items, "waiting_badge": SimpleLazyObject(lambda: badge_for(user, request))}
