"""Telephone numbers."""

from __future__ import annotations

import pytest

from tsunagari.text import Phone, TextError, parse_phone


@pytest.mark.parametrize(
    "text",
    ["03-1234-5678", "０３（１２３４）５６７８", "(03)1234-5678", "0312345678", "03 1234 5678",
     "+81-3-1234-5678", "+81 (0)3 1234 5678", "03‐1234‐5678", "03ー1234ー5678", "TEL:03-1234-5678",
     "03-1234-5678 内線123"],
)  # fmt: skip
def test_it_reads_a_tokyo_landline_in_any_notation(text: str) -> None:
    assert parse_phone(text) == Phone("0312345678", "landline", "03-1234-5678")


@pytest.mark.parametrize(
    "text",
    [
        "090-1234-5678",
        "090 1234 5678",
        "09012345678",
        "+81-90-1234-5678",
        "＋８１９０１２３４５６７８",
    ],
)
def test_it_reads_a_mobile_number(text: str) -> None:
    assert parse_phone(text) == Phone("09012345678", "mobile", "090-1234-5678")


@pytest.mark.parametrize(
    ("text", "kind", "formatted"),
    [
        ("050-1234-5678", "ip", "050-1234-5678"),
        ("0120-123-456", "free", "0120-123-456"),
        ("0800-123-4567", "free", "0800-123-4567"),
        ("0570-000-123", "other", "0570-000-123"),
        ("020-1234-5678", "other", "020-1234-5678"),
        ("070-1234-5678", "mobile", "070-1234-5678"),
        ("045-123-4567", "landline", "045-123-4567"),
        ("0466-12-3456", "landline", "0466-12-3456"),
        ("0451234567", "landline", "045-123-4567"),
        ("0612345678", "landline", "06-1234-5678"),
    ],
)
def test_it_tells_the_kind_of_number(text: str, kind: str, formatted: str) -> None:
    result = parse_phone(text)
    assert isinstance(result, Phone)
    assert (result.kind, result.formatted) == (kind, formatted)


@pytest.mark.parametrize("text", ["03-1234-567", "090-1234-567", "0120-12-345"])
def test_it_rejects_too_few_digits(text: str) -> None:
    result = parse_phone(text)
    assert isinstance(result, TextError)
    assert "missing" in result.reason


@pytest.mark.parametrize("text", ["03-1234-56789", "090-1234-56789"])
def test_it_rejects_too_many_digits(text: str) -> None:
    result = parse_phone(text)
    assert isinstance(result, TextError)
    assert "extra" in result.reason


def test_it_asks_for_the_area_code() -> None:
    result = parse_phone("1234-5678")
    assert isinstance(result, TextError)
    assert "area code" in result.reason


@pytest.mark.parametrize(
    "text", ["", "abc", "03-1234-abcd", "+1 212 555 0100", "0033-1-2345-6789", "1+2", "9" * 50]
)
def test_it_rejects_text_that_is_not_a_japanese_phone_number(text: str) -> None:
    result = parse_phone(text)
    assert isinstance(result, TextError)
    assert result.field == "phone"
    assert result.reason and result.reason_ja
