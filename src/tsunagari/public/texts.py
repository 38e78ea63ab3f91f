"""Words of the residents' pages in three variants: 日本語 (``ja``),
やさしい日本語 (``easy``) and English (``en``).

やさしい日本語 is not a language Django knows, and it is not a translation
of the Japanese text word by word: each sentence is written for it (short
sentences, everyday words, kana where a kanji is hard, no furigana needed).
So the three variants sit side by side here, where a writer sees them
together, rather than in .po catalogues.
"""

from __future__ import annotations

from dataclasses import dataclass

Variant = str  # "ja" | "easy" | "en"
VARIANTS = ("ja", "easy", "en")

_T: dict[str, tuple[str, str, str]] = {
    "site": ("江東区 くらしの相談・居場所ガイド", "こうとうく そうだん と いばしょの ガイド", "Koto City: where to get help and places to go"),
    "skip": ("本文へ移動", "ほんぶんへ", "Skip to content"),
    "home": ("トップ", "はじめの ページ", "Home"),
    "switch_label": ("表示の切り替え", "ことば と もじの おおきさ", "Language and text size"),
    "large_on": ("文字を大きく", "もじを おおきく", "Larger text"),
    "large_off": ("文字を標準に", "もじを ふつうに", "Normal text"),
    "lead": (
        "困りごとの相談先や、地域の居場所・活動をさがせます。登録もサインインもいりません。",
        "こまった ときの そうだんさきや、ちいきの あつまる ばしょを さがせます。なまえを いれる ひつようは ありません。",
        "Find where to get help and local places and groups. No sign-up needed.",
    ),
    "emergency_title": ("今すぐ助けが必要なとき", "いま すぐ たすけが ほしい とき", "If you need help right now"),
    "emergency_lead": (
        "命の危険があるとき、暴力や虐待を受けているとき、死にたいほどつらいときは、すぐに電話してください。",
        "あぶない とき、たたかれる とき、しにたいと おもう ときは、すぐに でんわ して ください。",
        "If a life is in danger, if you face violence or abuse, or if you feel like dying, call now.",
    ),
    "emergency_more": ("緊急・電話相談の一覧", "でんわ そうだんの リスト", "All emergency and phone lines"),
    "nav_title": ("どこに相談すればいいの？", "どこに そうだん したら いいの？", "Where can I get help?"),
    "nav_lead": (
        "3つの質問に答えると、相談できる窓口と受付時間、電話、持ち物がわかります。",
        "3つの しつもんに こたえて ください。そうだん できる ところが わかります。",
        "Answer three questions to find the right place, its hours, phone and what to bring.",
    ),
    "places_title": ("行ける場所・参加できる活動", "いける ばしょ・さんか できる かつどう", "Places to go and groups to join"),
    "activities_title": ("これからの地域の活動", "これからの あつまり", "Coming local activities"),
    "activities_lead": (
        "これから30日のサロン・体操・子ども食堂などの開催日を、日付順に見られます。",
        "これから 30にちの あつまりの ひにちが わかります。",
        "Salons, exercise groups, children's cafeterias and more over the next 30 days, by date.",
    ),
    "places_lead": (
        "居場所、通いの場、子ども食堂、サロン、カフェ、サークル、ボランティア、就労支援をさがせます。",
        "あつまる ばしょ、こどもの しょくどう、たいそう、ボランティア などを さがせます。",
        "Drop-in places, exercise meet-ups, children's cafeterias, salons, cafés, clubs, volunteering and job support.",
    ),
    "q_who": ("だれのことで困っていますか", "だれの ことで こまって いますか", "Who is the worry about?"),
    "who_self": ("自分のこと", "じぶん", "Myself"),
    "who_family": ("家族のこと", "かぞく", "Someone in my family"),
    "who_neighbour": ("近所の人・知り合いのこと", "ちかくの ひと・しりあい", "A neighbour or someone I know"),
    "q_topic": ("何について困っていますか", "なにに こまって いますか", "What is it about?"),
    "topic_elderly": ("介護・高齢・認知症", "としを とった ひとの こと・かいご", "Old age, care, dementia"),
    "topic_disability": ("障害・こころの病気", "しょうがい・こころの びょうき", "Disability, mental health"),
    "topic_child": ("妊娠・子育て・子ども", "あかちゃん・こそだて・こども", "Pregnancy, children, parenting"),
    "topic_money": ("お金・仕事・住まい", "おかね・しごと・すむ ところ", "Money, work, housing"),
    "topic_lonely": ("ひとりでさびしい・話し相手がほしい", "ひとりで さびしい", "Feeling lonely, want company"),
    "topic_unknown": ("よくわからない・いくつも重なっている", "よく わからない・いろいろ ある", "Not sure, or several things"),
    "topic_violence": ("暴力を受けている（DV）", "たたかれる・こわい ことを される", "Violence at home (DV)"),
    "topic_abuse": ("子どもが虐待されているかもしれない", "こどもが ひどい ことを されて いる かもしれない", "A child may be abused"),
    "topic_suicide": ("死にたいほどつらい", "しにたいほど つらい", "I feel like dying"),
    "q_town": ("どこに住んでいますか（町名）", "どこに すんで いますか", "Where do you live (town)?"),
    "town_unknown": ("わからない・江東区外", "わからない", "Not sure / outside Koto"),
    "show": ("相談先を見る", "そうだんさきを みる", "Show where to go"),
    "search": ("さがす", "さがす", "Search"),
    "results_title": ("あなたの相談先", "あなたの そうだんさき", "Where you can get help"),
    "emergency_first": (
        "まず、こちらに電話してください。",
        "まず ここに でんわ して ください。",
        "Call one of these first.",
    ),
    "neighbour_note": (
        "ご本人の同意がなくても、心配なことを相談できます。相談した人の名前は守られます。",
        "その ひとに きかなくても そうだん できます。あなたの なまえは ひみつに します。",
        "You can talk to us about your worry even without their consent. Your name is kept confidential.",
    ),
    "no_town_note": (
        "町名を選ぶと、担当の長寿サポートセンターがわかります。",
        "すんで いる ところを えらぶと、ちかくの そうだん ばしょが わかります。",
        "Choose your town to see your local Longevity Support Centre.",
    ),
    "fallback_title": ("迷ったときは", "わからない ときは", "If you are not sure"),
    "places_for_you": ("近くの居場所・活動も見る", "ちかくの ばしょも みる", "See places near you"),
    "hours": ("受付時間", "じかん", "Hours"),
    "phone": ("電話", "でんわ", "Phone"),
    "access": ("場所・行き方", "ばしょ", "Address and access"),
    "bring": ("持ち物", "もって いく もの", "What to bring"),
    "fee": ("費用", "おかね", "Cost"),
    "free": ("無料", "むりょう（おかねは いりません）", "Free"),
    "languages": ("対応言語", "ことば", "Languages"),
    "wheelchair_ok": ("車いすで利用できます", "くるまいすで はいれます", "Wheelchair accessible"),
    "vacancies": ("空き", "あいて いる せき", "Places free"),
    "capacity": ("定員", "はいれる ひとの かず", "Capacity"),
    "confidential_place": (
        "安全のため、場所は公開していません。相談窓口からご案内します。",
        "あんぜんの ため、ばしょは ひみつです。そうだんの ところで おしえます。",
        "For safety, the address is not published. A consultation desk will guide you.",
    ),
    "f_town": ("町名", "すんで いる ところ", "Town"),
    "f_day": ("曜日", "ようび", "Day"),
    "f_kind": ("種類", "しゅるい", "Type"),
    "f_free": ("無料のみ", "むりょう だけ", "Free only"),
    "f_wheelchair": ("車いすで利用できる", "くるまいすで はいれる", "Wheelchair accessible"),
    "f_language": ("言語", "ことば", "Language"),
    "f_text": ("キーワード", "ことば で さがす", "Keyword"),
    "any": ("指定しない", "なんでも", "Any"),
    "found": ("件見つかりました", "けん ありました", "found"),
    "none_found": (
        "条件に合う場所は見つかりませんでした。条件を減らしてみてください。",
        "みつかりませんでした。じょうけんを へらして ください。",
        "Nothing matches. Try fewer filters.",
    ),
    "back_to_list": ("一覧へ戻る", "もどる", "Back to the list"),
    "details": ("くわしく見る", "くわしく みる", "Details"),
    "schedule": ("日時", "ひにち と じかん", "When"),
    "contact": ("問い合わせ", "れんらくさき", "Contact"),
    "organization": ("運営", "やって いる ところ", "Run by"),
    "privacy": (
        "このページは利用者を追跡しません。外部のサービスにも接続しません。保存するのは表示の設定（言語・文字の大きさ）と、報告フォームのなりすまし防止の確認用の値だけです。",
        "この ページは あなたの ことを きろく しません。",
        "These pages do not track you and make no requests to other sites; they store only your display settings and, for the report form, a check against forged submissions.",
    ),
    "check_note": (
        "電話番号や受付時間は変わることがあります。行く前に電話で確かめてください。",
        "じかんが かわる ことが あります。いく まえに でんわで きいて ください。",
        "Numbers and hours may change; please call before you go.",
    ),
    "alert": ("お知らせ", "おしらせ", "Notice"),
    "sample_data": (
        "これはデモ用の見本です。載っている場所・団体・電話番号は架空のものです。",
        "これは れんしゅう よう の みほん です。ばしょ や でんわばんごう は ほんもの では ありません。",
        "This is a demonstration: the places, groups and phone numbers shown are made up.",
    ),
    "eligibility": ("対象", "だれが つかえるか", "Who it is for"),
    "lines_title": ("緊急・電話相談", "でんわ そうだん", "Emergency and phone lines"),
    "line_hours": ("受付", "じかん", "Hours"),
    "ja_only": ("説明は日本語のみです。", "せつめいは にほんごだけ です。", "Description in Japanese only:"),
    "page": ("ページ", "ページ", "Page"),
    "prev": ("前へ", "まえ", "Previous"),
    "next": ("次へ", "つぎ", "Next"),
    # --- accessibility of places (7-1) ---
    "access_title": ("バリアフリー", "からだが ふじゆうな ひとの ための じょうほう", "Accessibility"),
    "f_access": ("バリアフリーでしぼる", "ひつような もので さがす", "Accessibility"),
    "access_unknown_note": (
        "「未確認」は、まだ確かめていない項目です。行く前に電話で確かめてください。",
        "「わからない」は まだ しらべて いない ことです。いく まえに でんわで きいて ください。",
        "\"Not checked\" means nobody has checked yet; please call before you go.",
    ),
    "feat_step_free": ("段差のない入口", "だんさの ない いりぐち", "Step-free entrance"),
    "feat_lift": ("エレベーター", "エレベーター", "Lift"),
    "feat_accessible_toilet": ("車いす使用者用トイレ", "くるまいすで つかえる トイレ", "Accessible toilet"),
    "feat_hearing_loop": ("ヒアリングループ（磁気ループ）", "みみが きこえにくい ひとの ための そうち（ループ）", "Hearing loop"),
    "feat_braille": ("点字の案内", "てんじの あんない", "Braille signs"),
    "feat_seating": ("座って待てる席", "すわって まてる いす", "Seating while you wait"),
    "feat_parking": ("障害者用駐車場", "しょうがいの ある ひとの ちゅうしゃじょう", "Accessible parking"),
    "feat_quiet_room": ("静かな部屋", "しずかな へや", "Quiet room"),
    "avail_yes": ("あり", "あります", "Yes"),
    "avail_no": ("なし", "ありません", "No"),
    "avail_unknown": ("未確認", "わからない", "Not checked"),
    "access_note": ("補足", "ほかに", "Note"),
    "report_barrier_here": ("この場所のバリアを知らせる", "この ばしょの こまった ことを しらせる", "Report a barrier at this place"),
    # --- barrier reports (7-1) ---
    "barrier_title": ("まちのバリアを知らせる", "まちの こまった ところを しらせる", "Report a barrier in town"),
    "barrier_lead": (
        "段差、こわれた点字ブロック、通れない歩道、使えないエレベーターなど、まちや施設で困ったことを区に知らせてください。サインインはいりません。",
        "だんさ、こわれた てんじブロック、とおれない みち、うごかない エレベーター など、こまった ことを くに しらせて ください。なまえは いりません。",
        "Tell the ward about steps, broken tactile paving, blocked pavements, lifts out of order and other barriers. No sign-in needed.",
    ),
    "barrier_where": ("どこですか", "どこ ですか", "Where is it?"),
    "where_place": ("区の施設・相談窓口・居場所など（一覧から選ぶ）", "しせつ・そうだんの ところ など（えらぶ）", "A place in the directory (choose from the list)"),
    "where_street": ("道路・公園・駅前など（町名と説明）", "みち・こうえん・えきの まえ など", "A street, park or station area (town and description)"),
    "barrier_place": ("施設・場所", "ばしょ", "Place"),
    "barrier_place_none": ("選んでください", "えらんで ください", "Choose a place"),
    "barrier_town": ("町名", "ちょうめい（すんで いる ところの なまえ）", "Town"),
    "barrier_description": ("困ったこと・場所のくわしい説明", "こまった こと・ばしょの せつめい", "What is the barrier, and exactly where?"),
    "barrier_description_help": (
        "例：○○交差点の北側の歩道に段差があり、車いすで渡れません。（2000文字まで。お名前や病名は書かないでください）",
        "れい：○○の こうさてんの みちに だんさが あって、くるまいすで わたれません。（なまえは かかないで ください）",
        "Example: the kerb on the north side of the crossing has a step; a wheelchair cannot cross. (Up to 2000 characters; please leave out names.)",
    ),
    "barrier_contact": ("返事がほしい方の連絡先（任意）", "へんじが ほしい ひとの れんらくさき（なくても いい）", "Your contact for a reply (optional)"),
    "barrier_contact_help": (
        "メールアドレスか電話番号。区の担当者だけが見ます。公開はしません。",
        "メールか でんわばんごう。くの たんとうしゃ だけが みます。",
        "E-mail or phone. Only the ward's staff see it; it is never published.",
    ),
    "barrier_trap": ("この欄は空のままにしてください", "ここには なにも かかないで ください", "Leave this field empty"),
    "barrier_send": ("送る", "おくる", "Send"),
    "barrier_errors": ("送れませんでした。次のところを直してください。", "おくれません でした。ここを なおして ください。", "Not sent. Please fix the following."),
    "barrier_thanks": ("受け付けました。ありがとうございます。", "うけつけました。ありがとう ございます。", "Received. Thank you."),
    "barrier_reference": ("受付番号", "うけつけ ばんごう", "Reference"),
    "barrier_keep_reference": (
        "この番号をメモしておくと、対応の状況をこのページで確かめられます。",
        "この ばんごうを メモして ください。あとで じょうきょうが みられます。",
        "Keep this number to check the progress on this page.",
    ),
    "lookup_title": ("対応状況を確かめる", "どう なったか みる", "Check the progress"),
    "lookup_lead": ("受付番号を入れてください。", "うけつけ ばんごうを いれて ください。", "Enter your reference."),
    "lookup_button": ("確かめる", "みる", "Check"),
    "lookup_not_found": (
        "その受付番号は見つかりませんでした。番号を確かめてください（例：BR-7K3M9Q）。",
        "その ばんごうは ありません。ばんごうを みなおして ください（れい：BR-7K3M9Q）。",
        "No report has that reference. Please check it (e.g. BR-7K3M9Q).",
    ),
    "status_label": ("状況", "いまの ようす", "Status"),
    "status_received": ("受け付けました", "うけつけました", "Received"),
    "status_assigned": ("担当の課に送りました", "たんとうの かに おくりました", "Passed to the responsible section"),
    "status_in_progress": ("対応しています", "なおして います", "Being dealt with"),
    "status_resolved": ("対応しました", "なおしました", "Resolved"),
    "status_not_actionable": ("対応できませんでした", "なおせません でした", "Could not be acted on"),
    "answer_label": ("区からの回答", "くからの へんじ", "The ward's answer"),
    "received_on": ("受付日", "うけつけた ひ", "Received on"),
    "updated_on": ("更新日", "かわった ひ", "Updated on"),
    "barrier_home": ("まちのバリアを知らせる・対応状況を見る", "こまった ところを しらせる", "Report a barrier, check its progress"),
    "err_where": ("施設か道路かを選んでください。", "ばしょの しゅるいを えらんで ください。", "Choose a place or a street."),
    "err_place": ("一覧から施設・場所を選んでください。", "リストから ばしょを えらんで ください。", "Choose a place from the list."),
    "err_town": ("町名を一覧から選んでください。", "ちょうめいを えらんで ください。", "Choose the town from the list."),
    "err_description_short": ("困ったことを5文字以上で書いてください。", "こまった ことを もう すこし かいて ください。", "Please describe the barrier (at least 5 characters)."),
    "err_description_long": ("説明は2000文字以内にしてください。", "せつめいが ながすぎます。2000もじ までに して ください。", "Please keep the description within 2000 characters."),
    "err_contact": (
        "連絡先はメールアドレス（例：name@example.jp）か電話番号（例：03-1234-5678）で入れてください。返事がいらなければ空のままで大丈夫です。",
        "れんらくさきは メールか でんわばんごうで かいて ください。いらなければ かかなくて いいです。",
        "Give an e-mail (name@example.jp) or a phone number (03-1234-5678), or leave it empty.",
    ),
    "err_rate": (
        "短い時間に多くの報告が送られたため、受け付けを止めています。1時間ほどしてからもう一度送ってください。急ぎのときは区役所に電話してください。",
        "たくさん おくられたので いまは うけつけられません。1じかん あとで もう いちど おくって ください。",
        "Too many reports were sent in a short time. Please try again in an hour, or phone the ward office if it is urgent.",
    ),
    "err_trap": ("送れませんでした。もう一度送ってください。", "おくれません でした。もう いちど おくって ください。", "Not sent. Please send again."),
    # --- upcoming local activities (community.upcoming) ---
    "upcoming_title": ("これからの地域の活動", "これから ある ちいきの あつまり", "Upcoming local activities"),
    "upcoming_lead": (
        "これから30日のあいだに区内で開かれるサロン・居場所・イベントです。申し込みがいらないものも多くあります。くわしくは各活動の場所のページを見てください。",
        "これから 30にちの あいだに ある あつまりです。だれでも いけます。くわしい ことは ばしょの ページを みて ください。",
        "Salons, drop-in places and events in the ward in the next 30 days. Many need no booking; see each place's page for details.",
    ),
    "upcoming_town": ("町名でしぼる", "すんで いる ところ", "Filter by town"),
    "upcoming_any": ("すべての町", "ぜんぶ", "All towns"),
    "upcoming_show": ("表示する", "みる", "Show"),
    "upcoming_none": ("この期間に予定されている活動はありません。", "いまは よていが ありません。", "No activities are planned in this period."),
    "upcoming_place": ("場所", "ばしょ", "Place"),
    "upcoming_time": ("時間", "じかん", "Time"),
    "upcoming_often": ("開催の目安", "いつ あるか", "How often"),
    "upcoming_regular": ("定期的な活動", "いつも ある あつまり", "Regular activity"),
    "upcoming_event": ("イベント", "イベント", "Event"),
    "upcoming_more": ("場所のくわしい情報", "ばしょの くわしい こと", "More about this place"),
    "upcoming_places_link": ("行ける場所・参加できる活動をさがす", "いける ばしょを さがす", "Find places to go"),
    "upcoming_count": ("件", "こ", "activities"),
    "weekday_0": ("月", "げつ", "Mon"),
    "weekday_1": ("火", "か", "Tue"),
    "weekday_2": ("水", "すい", "Wed"),
    "weekday_3": ("木", "もく", "Thu"),
    "weekday_4": ("金", "きん", "Fri"),
    "weekday_5": ("土", "ど", "Sat"),
    "weekday_6": ("日", "にち", "Sun"),
}  # fmt: skip


@dataclass(frozen=True)
class Texts:
    variant: Variant

    def __getitem__(self, key: str) -> str:
        return _T[key][VARIANTS.index(self.variant)]

    def get(self, key: str) -> str:
        return self[key]


def texts(variant: Variant) -> Texts:
    return Texts(variant if variant in VARIANTS else "ja")


def section(prefix: str, variant: Variant) -> dict[str, str]:
    """The texts whose key starts with ``prefix``, keyed without it: a page
    that uses one section (``section("upcoming_", "easy")["title"]``)."""
    t = texts(variant)
    return {key.removeprefix(prefix): t[key] for key in _T if key.startswith(prefix)}
