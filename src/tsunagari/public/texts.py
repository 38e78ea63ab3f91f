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
        "このページは利用者を追跡しません。外部のサービスにも接続しません。保存するのは表示の設定（言語・文字の大きさ）だけです。",
        "この ページは あなたの ことを きろく しません。",
        "These pages do not track you and make no requests to other sites; only your display settings are stored.",
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
