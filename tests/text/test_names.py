"""Name splitting, keys and parsing."""

from __future__ import annotations

import pytest

from tsunagari.text import TextError, name_key, parse_name, split_name
from tsunagari.text.names import strip_honorific
from tsunagari.text.result import Name


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("山田　太郎", ("山田", "太郎")),
        ("山田 太郎", ("山田", "太郎")),
        ("  山田 \u3000 太郎  ", ("山田", "太郎")),
        ("山田太郎", ("山田太郎", "")),
        ("", ("", "")),
        ("   ", ("", "")),
        ("スミス ジョン ポール", ("スミス", "ジョン ポール")),
    ],
)
def test_it_splits_a_name_on_full_and_half_width_spaces(text: str, parts: tuple[str, str]) -> None:
    assert split_name(text) == parts


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("齋藤　花子", "斎藤 花子"),
        ("斉藤花子", "齊藤 花子"),
        ("髙橋 一郎", "高橋一郎"),
        ("渡邉 健", "渡辺 健"),
        ("渡邊 健", "渡辺健"),
        ("山﨑 正", "山崎 正"),
        ("𠮷田 優", "吉田 優"),
        ("佐々木 まゆみ", "佐佐木 マユミ"),
        ("ｻﾄｳ ﾏﾘ", "さとう まり"),
        ("ＡＢＥ　Ｋｅｎ", "abe ken"),
    ],
)
def test_it_gives_variant_spellings_of_one_name_the_same_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


def test_it_keeps_different_names_apart() -> None:
    assert name_key("小野 太郎") != name_key("大野 太郎")
    assert name_key("斎藤 花子") != name_key("佐藤 花子")


def test_it_parses_a_name_and_keeps_the_written_characters() -> None:
    result = parse_name("髙橋　一郎")
    assert not isinstance(result, TextError)
    assert (result.surname, result.given) == ("髙橋", "一郎")
    assert (result.key, result.surname_key, result.given_key) == ("高橋一郎", "高橋", "一郎")


def test_it_parses_a_name_without_a_space_as_surname_only() -> None:
    result = parse_name("山田太郎")
    assert not isinstance(result, TextError)
    assert (result.surname, result.given, result.given_key) == ("山田太郎", "", "")


def test_it_normalises_full_width_latin_in_names() -> None:
    result = parse_name("ＳＭＩＴＨ　ＪＯＨＮ")
    assert not isinstance(result, TextError)
    assert result.surname == "SMITH"
    assert result.key == "smithjohn"


@pytest.mark.parametrize("text", ["", "  ", "\u3000\u3000", "\n\t"])
def test_it_rejects_an_empty_name(text: str) -> None:
    result = parse_name(text)
    assert isinstance(result, TextError)
    assert result.field == "name"
    assert "empty" in result.reason
    assert result.reason_ja


@pytest.mark.parametrize("text", ["123", "---", "!!", "🙂", "\x00\x01"])
def test_it_rejects_a_name_without_letters(text: str) -> None:
    result = parse_name(text)
    assert isinstance(result, TextError)
    assert result.field == "name"


def test_it_drops_control_characters_from_a_name() -> None:
    result = parse_name("山田\x00 太郎\u200b")
    assert not isinstance(result, TextError)
    assert (result.surname, result.given) == ("山田", "太郎")


def test_it_splits_on_a_tab_or_newline_too() -> None:
    result = parse_name("山田\t太郎")
    assert not isinstance(result, TextError)
    assert (result.surname, result.given) == ("山田", "太郎")


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("大西悟 様", "大西悟"),
        ("大西　悟　様", "大西　悟"),
        ("大西悟様", "大西悟"),
        ("山田花子さん", "山田花子"),
        ("山田 花子 さん", "山田 花子"),
        ("田中 太郎殿", "田中 太郎"),
        ("鈴木 一郎 氏", "鈴木 一郎"),
    ],
)
def test_it_drops_an_honorific_after_a_name(written: str, name: str) -> None:
    assert strip_honorific(written) == name
    parsed = parse_name(written)
    assert isinstance(parsed, Name)
    assert parsed.key == name_key(name)


@pytest.mark.parametrize("kept", ["グエン サン", "佐藤 ゆかさん", "様", "さん", "殿山 太郎"])
def test_it_keeps_names_that_only_look_like_an_honorific(kept: str) -> None:
    assert strip_honorific(kept) == kept
