"""Survey instruments as data: the national questions word for word, and the ward's own items.

The national wording and answer codes come from the Cabinet Office survey
内閣府「人々のつながりに関する基礎調査」 (see docs/survey-methods.md). The ward's
items are kept here too so that a questionnaire, an import and a report all
read the same codes.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AGE_BANDS",
    "DIRECT_QUESTION",
    "HELP_SEEKING",
    "HOUSEHOLD_TYPE",
    "KOTO_TOWNS",
    "PLACES_USE",
    "QUESTIONNAIRE",
    "SEX",
    "SOCIAL_CONTACT",
    "TOWN",
    "UCLA_BANDS",
    "UCLA_ITEMS",
    "Choice",
    "Item",
    "UclaBand",
    "age_band_of",
]


@dataclass(frozen=True, slots=True)
class Choice:
    """One answer option: the code stored in files and its printed label."""

    code: int
    label: str


@dataclass(frozen=True, slots=True)
class Item:
    """One question.

    ``kind`` is ``"single"`` (one code from ``choices``), ``"multi"`` (several
    codes), ``"number"`` or ``"text"``. ``column`` is the column name used in
    RESPONSES.csv.
    """

    column: str
    question: str
    kind: str
    choices: tuple[Choice, ...] = ()
    source: str = "ward"

    @property
    def codes(self) -> frozenset[int]:
        """The valid answer codes of a single- or multi-choice item."""
        return frozenset(c.code for c in self.choices)

    def label(self, code: int) -> str:
        """The printed label of ``code``; raises KeyError for an unknown code."""
        for c in self.choices:
            if c.code == code:
                return c.label
        raise KeyError(code)


NATIONAL = "national"

DIRECT_QUESTION = Item(
    column="direct",
    question="あなたはどの程度、孤独であると感じることがありますか。",
    kind="single",
    choices=(
        Choice(1, "決してない"),
        Choice(2, "ほとんどない"),
        Choice(3, "たまにある"),
        Choice(4, "時々ある"),
        Choice(5, "しばしばある・常にある"),
    ),
    source=NATIONAL,
)

_UCLA_CHOICES = (
    Choice(1, "決してない"),
    Choice(2, "ほとんどない"),
    Choice(3, "時々ある"),
    Choice(4, "常にある"),
)

UCLA_ITEMS: tuple[Item, Item, Item] = (
    Item(
        "ucla1",
        "あなたは、自分には人とのつきあいがないと感じることがありますか",
        "single",
        _UCLA_CHOICES,
        NATIONAL,
    ),
    Item(
        "ucla2",
        "あなたは、自分は取り残されていると感じることがありますか",
        "single",
        _UCLA_CHOICES,
        NATIONAL,
    ),
    Item(
        "ucla3",
        "あなたは、自分は他の人たちから孤立していると感じることがありますか",
        "single",
        _UCLA_CHOICES,
        NATIONAL,
    ),
)


@dataclass(frozen=True, slots=True)
class UclaBand:
    """A published band of the UCLA 3-item score (sum of the items, 3–12)."""

    low: int
    high: int
    label: str


UCLA_BANDS: tuple[UclaBand, ...] = (
    UclaBand(10, 12, "常にある"),
    UclaBand(7, 9, "時々ある"),
    UclaBand(4, 6, "ほとんどない"),
    UclaBand(3, 3, "決してない"),
)

AGE_BANDS: tuple[str, ...] = (
    "16-19",
    "20-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70-79",
    "80+",
)


def age_band_of(age: int) -> str | None:
    """The survey age band of a whole age in years.

    Args:
        age: age in whole years.

    Returns:
        One of ``AGE_BANDS``, or None below 16 (outside the survey population).

    Example:
        >>> age_band_of(16), age_band_of(45), age_band_of(93), age_band_of(12)
        ('16-19', '40-49', '80+', None)
    """
    if age < 16:
        return None
    if age < 20:
        return AGE_BANDS[0]
    return AGE_BANDS[min(age // 10 - 1, len(AGE_BANDS) - 1)]


SEX = Item(
    column="sex",
    question="あなたの性別をお答えください。",
    kind="single",
    choices=(Choice(1, "男性"), Choice(2, "女性"), Choice(3, "その他・回答しない")),
)

KOTO_TOWNS: tuple[str, ...] = tuple(
    (
        "亀戸 大島 北砂 南砂 東砂 新砂 東陽 木場 門前仲町 深川 富岡 牡丹 古石場 越中島 "
        "永代 佐賀 福住 冬木 平野 三好 白河 高橋 常盤 新大橋 森下 清澄 千石 石島 扇橋 "
        "猿江 住吉 毛利 千田 海辺 塩浜 枝川 豊洲 東雲 有明 青海 辰巳 潮見 新木場 夢の島 "
        "若洲 海の森"
    ).split()
)

TOWN = Item(column="town", question="お住まいの町名をお答えください。", kind="text")

HOUSEHOLD_TYPE = Item(
    column="household",
    question="あなたの世帯の構成をお答えください。",
    kind="single",
    choices=(
        Choice(1, "単身世帯（ひとり暮らし）"),
        Choice(2, "夫婦のみの世帯"),
        Choice(3, "二世代世帯（親と子）"),
        Choice(4, "三世代世帯（親と子と孫）"),
        Choice(5, "ひとり親と子の世帯"),
        Choice(6, "その他の世帯"),
    ),
)

SOCIAL_CONTACT = Item(
    column="contact",
    question="同居していない家族や友人たちと直接会って話すことはどのくらいありますか。",
    kind="single",
    choices=(
        Choice(1, "週4〜5回以上"),
        Choice(2, "週2〜3回程度"),
        Choice(3, "週1回程度"),
        Choice(4, "2週間に1回程度"),
        Choice(5, "月1回程度"),
        Choice(6, "月1回未満"),
        Choice(7, "全くない"),
    ),
)

HELP_SEEKING = Item(
    column="help_seeking",
    question="困ったときに、行政や支援機関（NPO等を含む）に相談していますか。",
    kind="single",
    choices=(
        Choice(1, "相談している"),
        Choice(2, "相談したいが、していない"),
        Choice(3, "相談する必要はない"),
        Choice(4, "相談先がわからない"),
    ),
)

PLACES_USE = Item(
    column="places",
    question="この1年間に利用した地域の場所をすべてお選びください。",
    kind="multi",
    choices=(
        Choice(1, "町会・自治会の集まり"),
        Choice(2, "通いの場・サロン"),
        Choice(3, "子ども食堂・地域食堂"),
        Choice(4, "図書館・文化センター等の公共施設"),
        Choice(5, "趣味・スポーツのサークル"),
        Choice(6, "ボランティア・NPOの活動"),
        Choice(7, "オンラインの交流の場"),
        Choice(8, "利用したものはない"),
    ),
)

QUESTIONNAIRE: tuple[Item, ...] = (
    SEX,
    TOWN,
    HOUSEHOLD_TYPE,
    DIRECT_QUESTION,
    *UCLA_ITEMS,
    SOCIAL_CONTACT,
    HELP_SEEKING,
    PLACES_USE,
)
