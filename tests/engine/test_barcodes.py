"""EAN-13 and EAN-8 barcodes and their GS1 check digit."""

from __future__ import annotations

import pytest

from cassa.engine.barcodes import ean_check_digit, is_valid_ean

VALID = [
    "4006381333931",  # EAN-13
    "5901234123457",  # EAN-13, GS1 example
    "8001234000110",  # EAN-13 of the demo tile
    "0000000000000",
    "96385074",  # EAN-8
    "73513537",  # EAN-8
    "20123451",  # EAN-8 of the demo strawberries
]


@pytest.mark.parametrize("code", VALID)
def test_a_real_ean_has_a_valid_check_digit(code: str) -> None:
    assert is_valid_ean(code)


@pytest.mark.parametrize("code", VALID)
def test_the_check_digit_is_computed_from_the_digits_before_it(code: str) -> None:
    assert ean_check_digit(code[:-1]) == int(code[-1])


@pytest.mark.parametrize(
    ("digits", "check"),
    [("400638133393", 1), ("9638507", 4), ("590123412345", 7), ("000000000000", 0)],
)
def test_check_digit_of_known_codes(digits: str, check: int) -> None:
    assert ean_check_digit(digits) == check


@pytest.mark.parametrize(
    "code",
    ["4006381333932", "4006381333930", "96385075", "96385070", "5901234123458"],
)
def test_an_ean_with_a_wrong_check_digit_is_invalid(code: str) -> None:
    assert not is_valid_ean(code)


def test_swapping_two_adjacent_digits_is_detected() -> None:
    assert not is_valid_ean("4006383133931")


@pytest.mark.parametrize(
    "code",
    [
        "",
        "1234567",  # 7 digits
        "400638133393",  # 12 digits (UPC-A length, without the check digit)
        "40063813339310",  # 14 digits
        "4006381A33931",
        "9638507 ",
        " 96385074",
        "+6385074",
        "٩٦٣٨٥٠٧٤",  # Arabic-Indic digits are digits to str.isdigit but not to a scanner
    ],
)
def test_only_eight_or_thirteen_ascii_digits_can_be_an_ean(code: str) -> None:
    assert not is_valid_ean(code)
