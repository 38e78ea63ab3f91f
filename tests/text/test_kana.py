"""Kana conversion and reading keys."""

from __future__ import annotations

import pytest

from tsunagari.text import TextError, fold_kanji, kana_key, parse_kana, to_katakana
from tsunagari.text.kanji import itaiji_table


def test_it_folds_half_width_katakana() -> None:
    assert to_katakana("ﾔﾏﾀﾞ ﾀﾛｳ") == "ヤマダ タロウ"


def test_it_joins_half_width_voicing_marks() -> None:
    assert to_katakana("ﾊﾟﾋﾟﾌﾟ") == "パピプ"


def test_it_turns_hiragana_into_katakana() -> None:
    assert to_katakana("さいとう ゆうこ") == "サイトウ ユウコ"


def test_it_leaves_kanji_and_latin_alone_in_to_katakana() -> None:
    assert to_katakana("山田ａｂｃ") == "山田abc"


def test_it_removes_spaces_from_the_kana_key() -> None:
    assert kana_key("ヤマダ　タロウ") == kana_key("ヤマダ タロウ") == kana_key("ヤマダタロウ")


@pytest.mark.parametrize(
    ("small", "large"),
    [
        ("キャ", "キヤ"),
        ("ハッタ", "ハツタ"),
        ("ファ", "フア"),
        ("ヶ", "ケ"),
        ("ヵ", "カ"),
        ("ヮ", "ワ"),
    ],
)
def test_it_makes_small_kana_large(small: str, large: str) -> None:
    assert kana_key(small) == large


@pytest.mark.parametrize(
    ("written", "key"),
    [("ヴァ", "バ"), ("ヴィ", "ビ"), ("ヴ", "ブ"), ("ヴェ", "ベ"), ("ヴォ", "ボ"), ("ゔぁ", "バ")],
)
def test_it_reads_vu_as_the_b_row(written: str, key: str) -> None:
    assert kana_key(written) == key


@pytest.mark.parametrize(
    ("old", "modern"), [("ヂ", "ジ"), ("ヅ", "ズ"), ("ヲ", "オ"), ("ヰ", "イ"), ("ヱ", "エ")]
)
def test_it_folds_old_and_merged_kana(old: str, modern: str) -> None:
    assert kana_key(old) == modern


@pytest.mark.parametrize(
    "spelling", ["サトウ", "サトー", "サトオ", "さとう", "ｻﾄｰ", "サト－", "サトｰ"]
)
def test_it_absorbs_long_o_spellings(spelling: str) -> None:
    assert kana_key(spelling) == "サトウ"


def test_it_keeps_short_and_long_vowels_apart() -> None:
    assert kana_key("オオノ") == kana_key("オーノ") == kana_key("オウノ")
    assert kana_key("オノ") != kana_key("オオノ")


def test_it_absorbs_long_e_spellings() -> None:
    assert kana_key("ケーコ") == kana_key("ケイコ") == kana_key("ケエコ")


def test_it_writes_the_long_u_vowel_out() -> None:
    assert kana_key("ユーコ") == kana_key("ユウコ") == "ユウコ"


def test_it_drops_a_long_vowel_mark_that_follows_no_kana() -> None:
    assert kana_key("ー") == ""
    assert kana_key("ーア") == "ア"


def test_it_expands_kana_iteration_marks() -> None:
    assert kana_key("いすゞ") == kana_key("イスズ")
    assert kana_key("サヽキ") == kana_key("ササキ")


def test_it_drops_middle_dots_between_foreign_name_parts() -> None:
    assert kana_key("ジョン・スミス") == kana_key("ジョン スミス")


def test_it_reads_a_kana_name_into_surname_and_given() -> None:
    result = parse_kana("ｻｲﾄｳ ﾕｳｺ")
    assert not isinstance(result, TextError)
    assert (result.surname, result.given) == ("サイトウ", "ユウコ")
    assert result.key == "サイトウユウコ"
    assert (result.surname_key, result.given_key) == ("サイトウ", "ユウコ")


def test_it_reads_a_kana_name_without_a_space() -> None:
    result = parse_kana("さいとうゆうこ")
    assert not isinstance(result, TextError)
    assert (result.surname, result.given) == ("サイトウユウコ", "")


@pytest.mark.parametrize("text", ["山田　タロウ", "Yamada", "ヤマダ1"])
def test_it_rejects_a_reading_with_other_letters(text: str) -> None:
    result = parse_kana(text)
    assert isinstance(result, TextError)
    assert result.field == "kana"
    assert "kana" in result.reason
    assert "かな" in result.reason_ja


@pytest.mark.parametrize("text", ["", "   ", "\u3000", "ー", "・"])
def test_it_rejects_an_empty_reading(text: str) -> None:
    result = parse_kana(text)
    assert isinstance(result, TextError)
    assert result.field == "kana"


@pytest.mark.parametrize(
    ("variant", "standard"),
    [
        ("齋", "斎"), ("齊", "斎"), ("斉", "斎"), ("髙", "高"), ("邊", "辺"), ("邉", "辺"),
        ("﨑", "崎"), ("澤", "沢"), ("濱", "浜"), ("濵", "浜"), ("櫻", "桜"), ("廣", "広"),
        ("𠮷", "吉"), ("嶋", "島"), ("國", "国"), ("龍", "竜"),
    ],
)  # fmt: skip
def test_it_folds_variant_kanji(variant: str, standard: str) -> None:
    assert fold_kanji(variant) == standard


def test_it_keeps_standard_kanji_and_kana_unchanged() -> None:
    assert fold_kanji("斎藤 たろう ABC 123") == "斎藤 たろう ABC 123"


def test_it_folds_compatibility_ideographs() -> None:
    assert fold_kanji("\ufa10") == "塚"


def test_it_removes_ideographic_variation_selectors() -> None:
    assert fold_kanji("葛\U000e0100飾") == "葛飾"


def test_it_ships_several_hundred_variant_pairs() -> None:
    table = itaiji_table()
    assert len(table) >= 400
    assert all(len(v) == 1 and len(s) == 1 and v != s for v, s in table.items())


def test_it_resolves_every_chain_in_the_variant_table() -> None:
    table = itaiji_table()
    assert not [v for v, s in table.items() if s in table]


def test_it_agrees_with_jaconv_on_every_hiragana_and_half_width_katakana() -> None:
    jaconv = pytest.importorskip("jaconv")
    hiragana = "".join(chr(cp) for cp in range(0x3041, 0x3097))
    half_width = "".join(chr(cp) for cp in range(0xFF66, 0xFF9E))
    assert to_katakana(hiragana) == jaconv.hira2kata(hiragana)
    assert to_katakana(half_width) == jaconv.h2z(half_width, kana=True, ascii=False, digit=False)
