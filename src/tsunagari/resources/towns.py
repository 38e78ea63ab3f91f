"""Koto City's towns (町名), in the order the ward lists them."""

from __future__ import annotations

TOWNS: tuple[str, ...] = tuple(
    (
        "亀戸 大島 北砂 南砂 東砂 新砂 東陽 木場 門前仲町 深川 富岡 牡丹 古石場 越中島 永代 佐賀 福住 冬木 平野 三好 "
        "白河 高橋 常盤 新大橋 森下 清澄 千石 石島 扇橋 猿江 住吉 毛利 千田 海辺 塩浜 枝川 豊洲 東雲 有明 青海 辰巳 "
        "潮見 新木場 夢の島 若洲 海の森"
    ).split()
)
