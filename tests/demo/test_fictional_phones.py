"""Demo phone numbers must never reach a real subscriber.

Japan's numbering plan gives no local number whose first digit after the area
code (03) is 0 or 1, and no mobile number whose first digit after 090/080/070
is 0; every number the demo invents has such a digit there, so a demo number
dialled by mistake rings nowhere.
"""

from __future__ import annotations

from tsunagari.accounts.personas import ward_agencies
from tsunagari.demo.population import generate_ward
from tsunagari.resources.demo import build_directory
from tsunagari.text.phones import Phone, parse_phone


def _unassigned(number: str) -> bool:
    phone = parse_phone(number)
    assert isinstance(phone, Phone), number
    digits = phone.digits
    if digits.startswith(("090", "080", "070")):
        return digits[3] == "0"
    return digits.startswith("03") and digits[2] in "01"


def test_residents_phones_are_unassigned() -> None:
    ward = generate_ward(3_000, seed=5)
    phones = [p.phone for h in ward.households for p in h.members if p.phone]
    assert len(phones) > 1_000
    assert [n for n in phones if not _unassigned(n)] == []


def test_agencies_and_directory_phones_are_unassigned() -> None:
    numbers = [a.phone for a in ward_agencies()]
    tables = build_directory(7)
    numbers += [row["number"] for row in tables["phones"]]
    assert len(numbers) > 50
    assert [n for n in numbers if not _unassigned(n)] == []


def test_the_check_tells_a_real_number_from_a_demo_one() -> None:
    assert not _unassigned("03-3647-9111")
    assert not _unassigned("090-1234-5678")
    assert not _unassigned("06-0123-4567")  # only the demo's own area code is known here
    assert _unassigned("03-0647-9111")
    assert _unassigned("090-0234-5678")


def test_the_demo_directory_is_japanese_whatever_language_is_active() -> None:
    from django.utils import translation

    with translation.override("en"):
        names = {row["name"] for row in build_directory(7, share=0.1)["taxonomy_terms"]}
    assert "サロン" in names and "Salon" not in names
