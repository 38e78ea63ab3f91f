"""English translations of the interface, kept as data beside the code.

Run ``python scripts/i18n_en.py`` after ``tsunagari makemessages -l en``:
it fills every msgstr it knows and lists the msgids still untranslated,
then compile with ``tsunagari compilemessages``. (Needs polib.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "src/tsunagari/locale/en/LC_MESSAGES/django.po"

EN: dict[str, str] = {
    "ホーム": "Home",
    "関係機関": "Agencies",
    "職員": "Staff",
    "監査ログ": "Audit log",
    "ユーザー名": "User name",
    "パスワード": "Password",
    "ユーザー名またはパスワードが違います。続けて間違えるとアカウントが一時的にロックされます。": "Wrong user name or password. Several failures in a row lock the account for a while.",
    "このアカウントは無効です。管理者に連絡してください。": "This account is disabled. Please contact the administrator.",
    "区役所（担当課）": "Ward office (division)",
    "長寿サポートセンター（地域包括支援センター）": "Longevity support centre (community comprehensive support centre)",
    "障害者相談支援事業所": "Disability consultation office",
    "子ども家庭支援センター": "Child and family support centre",
    "生活困窮者自立相談支援機関": "Self-reliance support agency",
    "社会福祉協議会": "Council of social welfare",
    "NPO・市民団体": "NPO / civic group",
    "民間事業者": "Private partner",
    "民生委員・児童委員": "Welfare commissioners",
    "相談員": "Consultant",
    "多機関協働コーディネーター": "Multi-agency coordinator",
    "アウトリーチ支援員": "Outreach worker",
    "参加支援員": "Participation-support worker",
    "地域づくり担当": "Community-building staff",
    "計画担当": "Planner",
    "防災担当": "Disaster-preparedness staff",
    "連携会議委員": "Liaison council member",
    "スーパーバイザー": "Supervisor",
    "システム管理者": "Administrator",
    "機関コード": "Agency code",
    "名称": "Name",
    "英語名": "English name",
    "種別": "Kind",
    "所在地（町名）": "Location (town)",
    "電話": "Phone",
    "有効": "Active",
    "役割は文字列のリストで指定してください。": "Give the roles as a list of strings.",
    "不明な役割です: %(roles)s": "Unknown roles: %(roles)s",
    "表示名": "Display name",
    "所属機関": "Agency",
    "役割": "Roles",
    "閲覧制限対象者の住所を閲覧できる": "May see sealed persons' addresses",
    "早期把握フラグを閲覧できる": "May see early-detection flags",
    "用途": "Purpose",
    "APIトークン": "API token",
    "相談受付": "Consultation intake",
    "年齢や分野を問わず、すべての相談を受け付けます。": "Accept every consultation, whatever the age or category.",
    "本人の検索": "Find a person",
    "氏名・カナ・生年月日・住所から本人を探します。": "Look a person up by name, reading, birth date or address.",
    "つなぎ（紹介）": "Referrals",
    "他機関へ紹介し、受け取り・結果まで確認します。": "Refer to another agency and follow it until the outcome.",
    "多機関協働の事例": "Multi-agency cases",
    "アセスメント、支援プラン、重層的支援会議、モニタリング。": "Assessment, support plan, layered support meeting, monitoring.",
    "早期把握の候補": "Early-detection candidates",
    "複合的な課題がうかがえる世帯の候補を確認します。": "Review households whose records suggest several problems at once.",
    "訪問リスト": "Outreach list",
    "支援が届いていない人への訪問と記録。": "Visits to people support does not reach, and their records.",
    "参加支援": "Participation support",
    "本人の希望と地域の資源をつなぎます。": "Match a person's wishes with local resources.",
    "居場所・団体": "Places and groups",
    "居場所、団体、イベントの情報を最新に保ちます。": "Keep places, groups and events up to date.",
    "計画の進捗": "Plan progress",
    "10の施策・19の方向性の指標と年次評価。": "Indicators and the annual evaluation of the 10 measures and 19 directions.",
    "避難行動要支援者名簿": "Evacuation-support roster",
    "名簿と個別避難計画。": "The roster and individual evacuation plans.",
    "連携会議": "Liaison council",
    "調査結果と集計指標（個人情報は含みません）。": "Survey results and aggregate indicators (no personal data).",
    "所属機関の閲覧・出力の記録を確認します。": "Review your agency's record of views and exports.",
    "職員と権限": "Staff and permissions",
    "職員、役割、指定職員の管理。": "Manage staff, roles and designations.",
    "監査ログの検証": "Verify the audit log",
    "監査ログが改ざんされていないことを確認します。": "Check that nobody has altered the audit log.",
    "閲覧": "View",
    "出力": "Export",
    "作成": "Create",
    "変更": "Update",
    "削除": "Delete",
    "同意によらない提供": "Release without consent",
    "サインイン": "Sign in",
    "サインイン失敗": "Failed sign-in",
    "サインアウト": "Sign out",
    "拒否": "Refused",
    "通番": "Sequence",
    "日時": "Date and time",
    "職員ID": "Staff ID",
    "操作": "Action",
    "対象の種類": "Object type",
    "対象ID": "Object ID",
    "本人ID": "Person ID",
    "理由": "Reason",
    "詳細": "Details",
    "監査イベント": "Audit events",
    "監査ログの先頭": "Audit log head",
    "表示できません": "Not available",
    "このページは表示できません": "You cannot open this page",
    "この操作の権限がありません。": "You do not have permission for this.",
    "ホームへ戻る": "Back to home",
    "ページが見つかりません": "Page not found",
    "アドレスが正しいか確認してください。": "Please check the address.",
    "ページ": "Pages",
    "前へ": "Previous",
    "%(n)s / %(total)s ページ": "Page %(n)s of %(total)s",
    "次へ": "Next",
    "関係機関の一覧": "List of agencies",
    "所在地": "Location",
    "登録されている機関はありません。": "No agencies registered.",
    "%(name)sさんのホーム": "Home of %(name)s",
    "このアカウントには役割が割り当てられていないため、個人情報や業務画面は表示できません。": "This account has no role, so no personal data or work pages can be shown.",
    "業務で必要な場合は、所属機関の責任者からシステム管理者に役割の付与を依頼してください。": "If you need access for your work, ask your agency's manager to request a role from the administrator.",
    "アカウントがロックされています": "The account is locked",
    "パスワードを続けて間違えたため、このアカウントは一時的にロックされました。": "This account is locked for a while after several wrong passwords in a row.",
    "しばらく（%(minutes)s分程度）待ってからもう一度お試しいただくか、システム管理者に解除を依頼してください。": "Please wait (about %(minutes)s minutes) and try again, or ask the administrator to unlock it.",
    "サインイン画面へ戻る": "Back to sign-in",
    "区・関係機関の職員の方は、配布されたアカウントでサインインしてください。": "Ward and partner-agency staff: sign in with the account you were given.",
    "職員の一覧": "List of staff",
    "氏名": "Name",
    "指定": "Designations",
    "閲覧制限": "Sealed records",
    "早期把握": "Early detection",
    "個人情報の閲覧・出力・変更はすべて記録され、記録は改ざんを検出できる形で保存されています。": "Every view, export and change of personal data is recorded, in a form where any alteration can be detected.",
    "改ざんがないか検証する": "Check for tampering",
    "%(n)s件を検証しました。改ざんはありません。": "Checked %(n)s events. Nothing has been altered.",
    "改ざんまたは削除が見つかりました:": "Alterations or deletions found:",
    "本人IDで絞り込む": "Filter by person ID",
    "機関": "Agency",
    "対象": "Object",
    "記録はありません。": "No records.",
    "つながり": "Tsunagari",
    "本文へ移動": "Skip to content",
    "江東区 包括的支援": "Koto City comprehensive support",
    "メインメニュー": "Main menu",
    "表示言語": "Language",
    "切替": "Switch",
    "つながり — 一人ひとりの尊厳が守られ、地域でも支えあい、誰もが笑顔で安全に暮らせるまち": "Tsunagari — a city where everyone's dignity is protected, people support each other, and everyone lives safely and with a smile",
}


def main() -> int:
    po = polib.pofile(str(PO))
    missing = []
    for entry in po:
        if entry.msgid in EN:
            entry.msgstr = EN[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
        elif not entry.msgstr:
            missing.append(entry.msgid)
    po.save(str(PO))
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
