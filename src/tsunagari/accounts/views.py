from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from tsunagari.accounts import tokens
from tsunagari.accounts.context import action_for_page
from tsunagari.accounts.forms import SignInForm
from tsunagari.accounts.models import Agency, Role, Staff
from tsunagari.accounts.policy import Action, actions_for, require
from tsunagari.accounts.visits import last_visit, record_visit
from tsunagari.accounts.waiting import home_board
from tsunagari.audit.models import AuditAction
from tsunagari.audit.services import record_request
from tsunagari.lib import clock
from tsunagari.lib.http import signed_in_staff

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@dataclass(frozen=True)
class HomeCard:
    title: str
    text: str
    url: str | None = None


# What each role comes to Tsunagari for: only pages that exist (a card
# without a page would promise what is not built).
_ROLE_WORK: dict[str, list[tuple[StrOrPromise, StrOrPromise, str | None]]] = {
    Role.CONSULTANT: [
        (
            _("相談受付"),
            _("年齢や分野を問わず、すべての相談を受け付けます。"),
            "consultations:new",
        ),
        (_("本人の検索"), _("氏名・カナ・生年月日・住所から本人を探します。"), "people:search"),
        (
            _("つなぎ（紹介）"),
            _("他機関へ紹介し、受け取り・結果まで確認します。"),
            "consultations:worklist",
        ),
        (
            _("多機関協働の事例"),
            _("あなたの機関がチームに入っている事例と、担当する支援の期限・経過の記録。"),
            "cases:list",
        ),
        (
            _("虐待・暴力の通報・届出"),
            _("虐待やDVの疑いを区の担当チームに伝えます。通報者は秘密にされます。"),
            "safeguarding:new",
        ),
        (
            _("アウトリーチへの気づきの連絡"),
            _("訪問が必要かもしれない方を、アウトリーチの担当へ知らせます（受付番号でお知らせ）。"),
            "outreach:tip",
        ),
        (
            _("虐待・暴力の通報"),
            _("安全確認・事実確認・コアメンバー会議の期限と、権利擁護支援（区長申立て）。"),
            "safeguarding:list",
        ),
        (
            _("地区に届いた消費者被害の注意情報"),
            _("特殊詐欺・悪質商法などの注意情報を読み、声をかけた住民の人数を報告します。"),
            "consumer:inbox",
        ),
        (
            _("消費者被害の注意情報の発信"),
            _(
                "注意情報を作成・発信し、見守りネットワークの報告と訪問の状況を確かめます"
                "（消費者センター）。"
            ),
            "consumer:list",
        ),
    ],
    Role.COORDINATOR: [
        (
            _("多機関協働の事例"),
            _(
                "チームと根拠、アセスメント、支援プランと会議での合意、"
                "モニタリングと期限切れ、終結と引き継ぎ。"
            ),
            "cases:list",
        ),
        (
            _("多機関協働の状況"),
            _("段階・根拠ごとの事例数と、期限を過ぎたモニタリング。"),
            "cases:dashboard",
        ),
        (
            _("早期把握の候補"),
            _("複合的な課題がうかがえる世帯の候補を確認します。"),
            "linkage:candidates",
        ),
        (
            _("多機関協働・アウトリーチへの依頼"),
            _("相談の受付で上がった依頼を確認し、対応を始めます。"),
            "consultations:needs",
        ),
    ],
    Role.OUTREACH: [
        (
            _("訪問リスト"),
            _("今日訪ねる対象と、電波がなくても書ける訪問・連絡の記録。"),
            "outreach:visits",
        ),
        (
            _("アウトリーチの担当の一覧"),
            _("担当の対象、次回の予定の遅れ、前回の接触からの日数、チームの状況。"),
            "outreach:list",
        ),
        (
            _("多機関協働・アウトリーチへの依頼"),
            _("相談の受付で上がった依頼を確認し、対応を始めます。"),
            "consultations:needs",
        ),
    ],
    Role.PARTICIPATION: [
        (
            _("参加支援"),
            _(
                "本人の希望と条件を記録し、理由つきの候補から参加先を提案します。"
                "見学・参加・定着とフォローアップ（開庁日）。"
            ),
            "participation:home",
        ),
        (
            _("受入先・参加の場の創出"),
            _("受入先ごとの参加の状況、受入先への支援、受入先とつくった参加の場。"),
            "participation:hosts",
        ),
    ],
    Role.COMMUNITY: [
        (
            _("居場所・団体"),
            _("居場所、団体、イベントの情報を最新に保ちます。"),
            "resources:directory",
        ),
        (
            _("地域の活動と参加人数"),
            _("居場所・サロン・イベントの開催日と参加人数（人数のみ）を記録します。"),
            "community:list",
        ),
        (
            _("集いの場が必要な町"),
            _("町ごとの集いの場と65歳以上の人口、孤独感を比べます。"),
            "community:gaps",
        ),
        (
            _("まちのバリアの報告"),
            _("区民から届いたバリアの報告を担当の課に送り、対応状況と回答を記録します。"),
            "barriers:list",
        ),
        (
            _("啓発活動"),
            _("福祉教育・ゲートキーパー研修・講演会・キャンペーンの参加者数（人数のみ）。"),
            "awareness:index",
        ),
    ],
    Role.PLANNER: [
        (
            _("計画の進捗"),
            _("施策の方向性ごとの指標と目標、年次評価、5事業の実績と報告書。"),
            "plan:tree",
        ),
        (
            _("孤独・孤立に関する実態調査"),
            _("調査の取り込み、重み付け集計、全国調査との比較、報告書。"),
            "surveys:index",
        ),
        (_("孤独・孤立対策連携会議"), _("会議、議事録、宿題、共有資料。"), "council:home"),
        (
            _("福祉人材の名簿"),
            _("機関ごとの資格・研修・スーパービジョンと、重層的支援体制の合同研修。"),
            "workforce:index",
        ),
        (
            _("啓発活動"),
            _("福祉教育・ゲートキーパー研修・講演会・キャンペーンの参加者数（人数のみ）。"),
            "awareness:index",
        ),
    ],
    Role.DISASTER: [
        (
            _("避難行動要支援者名簿"),
            _(
                "掲載基準による名簿の更新、同意、提供先への提供、個別避難計画、災害時の提供と安否確認。"
            ),
            "disaster:index",
        ),
    ],
    Role.COUNCIL_MEMBER: [
        (_("孤独・孤立対策連携会議"), _("会議、議事録、宿題、共有資料。"), "council:home"),
        (
            _("孤独・孤立に関する実態調査"),
            _("調査結果と集計指標（個人情報は含みません）。"),
            "surveys:index",
        ),
        (
            _("地域共生社会への意識醸成"),
            _("啓発活動の参加者数と区民調査の関連する設問。"),
            "awareness:index",
        ),
    ],
    Role.SUPERVISOR: [
        (
            _("本人来所による閲覧"),
            _("職員が本人来所で仮に開いた記録を確認し、確定または取り消します。"),
            "people:openings",
        ),
        (_("監査ログ"), _("所属機関の閲覧・出力の記録を確認します。"), "audit:log"),
        (
            _("福祉人材の名簿"),
            _("所属機関の職員の資格・研修・スーパービジョンを記録します。"),
            "workforce:index",
        ),
    ],
    Role.ADMINISTRATOR: [
        (_("職員と権限"), _("職員、役割、指定職員の管理。"), "accounts:staff"),
        (_("監査ログの検証"), _("監査ログが改ざんされていないことを確認します。"), "audit:log"),
        (
            _("データ連携"),
            _("各課の抽出データの法的根拠を記録し、連携を実行します。"),
            "linkage:runs",
        ),
        (
            _("同一人物の確認"),
            _("データ連携で判定に迷った記録の組み合わせを確認し、同一人物か別人かを決めます。"),
            "linkage:review",
        ),
        (_("APIトークン"), _("API トークンの発行、一覧と失効。"), "accounts:tokens"),
        (
            _("まちのバリアの報告"),
            _("区民から届いたバリアの報告を担当の課に送り、対応状況と回答を記録します。"),
            "barriers:list",
        ),
        (
            _("福祉人材の名簿"),
            _("機関ごとの資格・研修・スーパービジョンと、重層的支援体制の合同研修。"),
            "workforce:index",
        ),
    ],
}


# Pages on home cards that are not in the menu, and the action they need.
_CARD_ACTIONS: dict[str, Action] = {
    "consultations:new": Action.WORK_CONSULTATIONS,
    "accounts:tokens": Action.MANAGE_STAFF,
    "community:gaps": Action.VIEW_AGGREGATES,
    "safeguarding:new": Action.FILE_SAFEGUARDING_REPORT,
    "outreach:visits": Action.WORK_OUTREACH,
    "outreach:tip": Action.SEND_OUTREACH_TIP,
    "participation:hosts": Action.WORK_PARTICIPATION,
    "consumer:list": Action.ISSUE_CONSUMER_ALERTS,
    "awareness:index": Action.VIEW_AGGREGATES,
}


def _card_allowed(url_name: str | None, granted: frozenset[Action]) -> bool:
    """A card shows only when its page would open: a role alone is not
    enough where the page also needs a designation (flag_access …)."""
    if url_name is None:
        return True
    needed = _CARD_ACTIONS.get(url_name) or action_for_page(url_name)
    return needed is None or needed in granted


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    staff = signed_in_staff(request)
    granted = actions_for(staff)
    sections: list[tuple[str, list[HomeCard]]] = []
    labels = dict(Role.choices)
    for role in staff.roles or []:
        cards = [
            HomeCard(str(t), str(x), reverse(u) if u else None)
            for t, x, u in _ROLE_WORK.get(role, [])
            if _card_allowed(u, granted)
        ]
        sections.append((str(labels.get(role, role)), cards))
    # What waits is counted against the previous visit, then this visit is
    # remembered as of before the counting (an answer arriving meanwhile stays new).
    now = clock.now()
    board = home_board(staff, request, since=last_visit(staff))
    if board.waiting.kinds:
        record_visit(staff, now)
    return render(
        request,
        "accounts/home.html",
        {
            "staff": staff,
            "sections": sections,
            "no_access": not granted,
            "board": board,
            # The header badge shows the same counts (see context.navigation).
            "waiting_badge": board.waiting,
        },
    )


@login_required
@require_GET
def agencies(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_AGENCIES)
    rows = Agency.objects.filter(is_active=True).order_by("kind", "name")
    return render(request, "accounts/agencies.html", {"agencies": rows})


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VIEW_STAFF)
    me = signed_in_staff(request)
    rows = Staff.objects.select_related("agency").order_by("agency__name", "username")
    if Action.MANAGE_STAFF not in actions_for(me):
        # Supervisors see their own agency's staff only.
        rows = rows.filter(agency=me.agency)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    record_request(
        request,
        AuditAction.VIEW,
        object_type="accounts.staff",
        detail={"list": True, "count": len(page)},
    )
    return render(request, "accounts/staff.html", {"page": page})


# --- API tokens (administrators) ------------------------------------------------


def _tokens_page(
    request: HttpRequest, *, form: dict[str, str] | None = None, error: str = ""
) -> HttpResponse:
    user_filter = request.GET.get("user", "").strip()[:150]
    rows: list[tokens.TokenRow] = []
    try:
        rows = tokens.list_tokens(request.user, username=user_filter)
    except tokens.TokenError as exc:
        error = error or str(exc)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/tokens.html",
        {
            "page": page,
            "user_filter": user_filter,
            "form": form or {"username": "", "name": "", "days": ""},
            "error": error,
            "default_days": settings.API_TOKEN_DAYS,
            "max_days": tokens.MAX_DAYS,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_STAFF)
    return _tokens_page(request)


@login_required
@require_POST
def token_issue(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.MANAGE_STAFF)
    form = {k: request.POST.get(k, "")[:200] for k in ("username", "name", "days")}
    try:
        issued = tokens.issue_token(
            request.user, form["username"], form["name"], tokens.parse_days(form["days"])
        )
    except tokens.TokenError as exc:
        return _tokens_page(request, form=form, error=str(exc))
    response = render(request, "accounts/token_issued.html", {"issued": issued})
    # The secret is on this page only: no cache may keep it.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: str) -> HttpResponse:
    require(request.user, Action.MANAGE_STAFF)
    try:
        token = tokens.revoke_token(request.user, pk)
    except tokens.TokenError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            gettext("トークン %(id)d（%(owner)s、%(name)s）を失効させました。")
            % {"id": token.pk, "owner": token.staff.username, "name": token.name},
        )
    return redirect("accounts:tokens")
