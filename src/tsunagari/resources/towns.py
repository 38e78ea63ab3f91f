"""Koto City's towns (町名), in the order the ward lists them, with the
reading (for ふりがな on やさしい日本語 pages) and the romanised name the
ward uses on signs and in English (Hepburn, long vowels unmarked)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Town:
    name: str
    reading: str
    romaji: str


# One town a line: 町名, reading, romanised name.
_TABLE = """
亀戸 かめいど Kameido
大島 おおじま Ojima
北砂 きたすな Kitasuna
南砂 みなみすな Minamisuna
東砂 ひがしすな Higashisuna
新砂 しんすな Shinsuna
東陽 とうよう Toyo
木場 きば Kiba
門前仲町 もんぜんなかちょう Monzen-nakacho
深川 ふかがわ Fukagawa
富岡 とみおか Tomioka
牡丹 ぼたん Botan
古石場 ふるいしば Furuishiba
越中島 えっちゅうじま Etchujima
永代 えいたい Eitai
佐賀 さが Saga
福住 ふくずみ Fukuzumi
冬木 ふゆき Fuyuki
平野 ひらの Hirano
三好 みよし Miyoshi
白河 しらかわ Shirakawa
高橋 たかばし Takabashi
常盤 ときわ Tokiwa
新大橋 しんおおはし Shin-Ohashi
森下 もりした Morishita
清澄 きよすみ Kiyosumi
千石 せんごく Sengoku
石島 いしじま Ishijima
扇橋 おうぎばし Ogibashi
猿江 さるえ Sarue
住吉 すみよし Sumiyoshi
毛利 もうり Mori
千田 せんだ Senda
海辺 うみべ Umibe
塩浜 しおはま Shiohama
枝川 えだがわ Edagawa
豊洲 とよす Toyosu
東雲 しののめ Shinonome
有明 ありあけ Ariake
青海 あおみ Aomi
辰巳 たつみ Tatsumi
潮見 しおみ Shiomi
新木場 しんきば Shinkiba
夢の島 ゆめのしま Yumenoshima
若洲 わかす Wakasu
海の森 うみのもり Uminomori
"""

TOWN_INFO: dict[str, Town] = {
    parts[0]: Town(*parts) for parts in (line.split() for line in _TABLE.strip().splitlines())
}
TOWNS: tuple[str, ...] = tuple(TOWN_INFO)

# The ward itself, as addresses name it.
CITY = Town("江東区", "こうとうく", "Koto City")


def town_at_start(text: str) -> Town | None:
    """The town a text (an address line) begins with, longest name first."""
    for name in sorted(TOWN_INFO, key=len, reverse=True):
        if text.startswith(name):
            return TOWN_INFO[name]
    return None
