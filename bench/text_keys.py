"""Speed of the tsunagari.text keys and parsers on generated strings.

Prints microseconds per call for each function beside a naive baseline
(``unicodedata.normalize("NFKC", s)`` alone) and their ratio. Prints
numbers, asserts nothing.

    .venv/bin/python bench/text_keys.py            # 200,000 strings
    .venv/bin/python bench/text_keys.py 1000000    # the linkage size

Two passes are timed: "cold" calls on a fresh cache, as a first linkage
run sees them, and "warm" repeated calls, as interactive look-up does.
"""

from __future__ import annotations

import random
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence

from tsunagari.text import clear_caches, kana_key, name_key, parse_address, parse_date

SURNAMES = ["斎藤", "齋藤", "斉藤", "高橋", "髙橋", "渡辺", "渡邊", "渡邉", "山崎", "山﨑", "佐藤", "鈴木", "田中", "伊藤", "中村", "小林", "加藤", "吉田", "𠮷田", "佐々木", "長谷川", "濱田", "櫻井", "廣瀬"]  # fmt: skip
GIVEN = [
    "太郎",
    "花子",
    "一郎",
    "まゆみ",
    "ゆうこ",
    "健",
    "翔太",
    "美咲",
    "さくら",
    "大輔",
    "由美子",
    "拓也",
]
KANA_S = ["サイトウ", "ｻｲﾄｳ", "さいとう", "タカハシ", "ﾀｶﾊｼ", "ワタナベ", "サトウ", "サトー", "オオノ", "オーノ", "ヤマザキ", "スズキ"]  # fmt: skip
KANA_G = ["タロウ", "ﾀﾛｳ", "はなこ", "ユウコ", "ユーコ", "ケンイチ", "ショウタ", "ｼｮｳﾀ", "ミサキ"]
TOWNS = ["北砂", "南砂", "亀戸", "大島", "東陽", "豊洲", "門前仲町", "冬木", "深川", "東雲"]
KANJI_NUM = "〇一二三四五六七八九"
ERAS = [("昭和", "S", 1926), ("平成", "H", 1989)]


def _full_width(s: str) -> str:
    return s.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))


def _names(rng: random.Random, n: int) -> list[str]:
    sep = ["　", " ", ""]
    # a serial number keeps most strings distinct so the caches do not hide the cost
    return [
        f"{rng.choice(SURNAMES)}{rng.choice(sep)}{rng.choice(GIVEN)}{i % 997 or ''}"
        for i in range(n)
    ]


def _kana(rng: random.Random, n: int) -> list[str]:
    syllables = "アイウエオカキクケコサシスセソタチツテトナニヌネノマミムメモヤユヨラリルレロワン"
    out: list[str] = []
    for i in range(n):
        # a tail made from the serial number keeps most readings distinct
        k = len(syllables)
        tail = syllables[i % k] + syllables[(i // k) % k] + syllables[(i // k // k) % k]
        out.append(f"{rng.choice(KANA_S)}{rng.choice(['　', ' ', ''])}{rng.choice(KANA_G)}{tail}")
    return out


def _dates(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    for _ in range(n):
        y, m, d = rng.randint(1927, 2024), rng.randint(1, 12), rng.randint(1, 28)
        era, letter, base = ERAS[0] if y < 1989 else ERAS[1]
        out.append(
            rng.choice(
                [
                    f"{y}-{m:02d}-{d:02d}",
                    f"{y}/{m}/{d}",
                    f"{y}{m:02d}{d:02d}",
                    f"{era}{y - base + 1}年{m}月{d}日",
                    f"{letter}{y - base + 1}.{m}.{d}",
                    _full_width(f"{era}{y - base + 1}年{m}月{d}日"),
                ]
            )
        )
    return out


def _addresses(rng: random.Random, n: int) -> list[str]:
    out: list[str] = []
    for _ in range(n):
        town, c, b, g = rng.choice(TOWNS), rng.randint(1, 7), rng.randint(1, 40), rng.randint(1, 30)
        out.append(
            rng.choice(
                [
                    f"東京都江東区{town}{KANJI_NUM[c]}丁目{b}番{g}号",
                    f"江東区{town}{c}-{b}-{g} ハイツ{town}{rng.randint(101, 905)}",
                    _full_width(f"{town}{c}-{b}-{g}-{rng.randint(101, 905)}"),
                    f"{town}{c}丁目{b}-{g}",
                ]
            )
        )
    return out


def _time(fn: Callable[[str], object], data: Sequence[str]) -> float:
    start = time.perf_counter()
    for s in data:
        fn(s)
    return (time.perf_counter() - start) / len(data) * 1e6


def main(argv: list[str]) -> None:
    n = int(argv[1]) if len(argv) > 1 else 200_000
    rng = random.Random(20261126)
    cases: list[tuple[str, Callable[[str], object], list[str]]] = [
        ("name_key", name_key, _names(rng, n)),
        ("kana_key", kana_key, _kana(rng, n)),
        ("parse_date", parse_date, _dates(rng, n)),
        ("parse_address", parse_address, _addresses(rng, n)),
    ]

    def nfkc(s: str) -> str:
        return unicodedata.normalize("NFKC", s)

    print(f"{n:,} generated strings per function; microseconds per call")
    print(
        f"{'function':<15}{'distinct':>10}{'NFKC only':>12}{'cold':>10}{'warm':>10}{'cold/NFKC':>11}{'1M cold s':>11}"
    )
    for label, fn, data in cases:
        base = _time(nfkc, data)
        clear_caches()
        cold = _time(fn, data)
        warm = _time(fn, data)
        print(
            f"{label:<15}{len(set(data)):>10,}{base:>12.2f}{cold:>10.2f}{warm:>10.2f}"
            f"{cold / base:>10.1f}x{cold:>11.1f}"
        )


if __name__ == "__main__":
    main(sys.argv)
