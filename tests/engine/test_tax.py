"""VAT rates and the per-rate VAT summary, in the gross and net directions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cassa.engine.country import load_country
from cassa.engine.money import Currency, RoundingMode, RoundingPolicy
from cassa.engine.tax import PriceDirection, VatRate, VatSummaryLine, vat_summary

EUR = Currency("EUR", 2, "€")
R22 = VatRate("22", Decimal(22), "IVA 22%")
R10 = VatRate("10", Decimal(10), "IVA 10%")
R4 = VatRate("4", Decimal(4), "IVA 4%")
N4 = VatRate("N4", Decimal(0), "Esente", "N4")


def d(text: str) -> Decimal:
    return Decimal(text)


def by_code(summary: list[VatSummaryLine]) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    return {s.rate.code: (s.net, s.vat, s.gross) for s in summary}


# --- VatRate ----------------------------------------------------------------------------------


def test_vat_of_a_gross_amount_is_the_part_above_the_net() -> None:
    assert R22.vat_of_gross(d("122")) == d("22")
    assert R10.vat_of_gross(d("110")) == d("10")


def test_vat_of_a_net_amount_is_the_rate_applied_to_it() -> None:
    assert R22.vat_of_net(d("100")) == d("22")
    assert R10.vat_of_net(d("0.25")) == d("0.025")


def test_net_from_gross_is_rounded_to_the_cent() -> None:
    assert R22.net_from_gross(d("12.90"), EUR) == d("10.57")
    assert R22.net_from_gross(d("1.00"), EUR) == d("0.82")


def test_gross_from_net_is_rounded_to_the_cent() -> None:
    assert R22.gross_from_net(d("10.57"), EUR) == d("12.90")
    assert R10.gross_from_net(d("33.33"), EUR) == d("36.66")


def test_a_zero_rate_has_no_vat_either_way() -> None:
    assert N4.vat_of_gross(d("50.00")) == 0
    assert N4.net_from_gross(d("50.00"), EUR) == d("50.00")
    assert N4.gross_from_net(d("50.00"), EUR) == d("50.00")


# --- the Italian receipt with two rates (gross direction) -------------------------------------


@pytest.fixture
def italian_receipt_lines() -> list[tuple[VatRate, Decimal]]:
    """A receipt with shelf (gross) prices: two lines at 22 % and two at 10 %."""
    it = load_country("it")
    r22, r10 = it.vat_rate("22"), it.vat_rate("10")
    return [
        (r22, d("12.90")),  # bath mat
        (r10, d("1.90")),  # milk chocolate
        (r22, d("24.90")),  # tote bag
        (r10, d("3.30")),  # apple juice, 1.5 l at 2.20
    ]


def test_vat_of_two_italian_rates_is_computed_per_rate_to_the_cent(
    italian_receipt_lines: list[tuple[VatRate, Decimal]],
) -> None:
    summary = vat_summary(italian_receipt_lines, PriceDirection.GROSS, EUR)
    assert by_code(summary) == {
        "22": (d("30.98"), d("6.82"), d("37.80")),
        "10": (d("4.73"), d("0.47"), d("5.20")),
    }


def test_vat_of_two_rates_adds_up_to_the_document_total(
    italian_receipt_lines: list[tuple[VatRate, Decimal]],
) -> None:
    summary = vat_summary(italian_receipt_lines, PriceDirection.GROSS, EUR)
    document_total = sum((value for _, value in italian_receipt_lines), Decimal(0))
    assert document_total == d("43.00")
    assert sum(s.gross for s in summary) == document_total
    assert sum(s.net for s in summary) + sum(s.vat for s in summary) == document_total
    for line in summary:
        assert line.net + line.vat == line.gross


def test_vat_summary_keeps_the_rate_labels_of_the_pack(
    italian_receipt_lines: list[tuple[VatRate, Decimal]],
) -> None:
    summary = vat_summary(italian_receipt_lines, PriceDirection.GROSS, EUR)
    assert [s.rate.label for s in summary] == ["IVA 22%", "IVA 10%"]


def test_vat_summary_amounts_have_two_decimals(
    italian_receipt_lines: list[tuple[VatRate, Decimal]],
) -> None:
    for line in vat_summary(italian_receipt_lines, PriceDirection.GROSS, EUR):
        for amount in (line.net, line.vat, line.gross):
            assert amount.as_tuple().exponent == -2


# --- the invoice (net direction) --------------------------------------------------------------


def test_vat_of_a_net_invoice_is_added_on_top_of_each_rate() -> None:
    lines = [(R22, d("100.00")), (R10, d("33.33")), (R22, d("10.05"))]
    summary = vat_summary(lines, PriceDirection.NET, EUR)
    assert by_code(summary) == {
        "22": (d("110.05"), d("24.21"), d("134.26")),
        "10": (d("33.33"), d("3.33"), d("36.66")),
    }
    assert sum(s.gross for s in summary) == d("170.92")
    for line in summary:
        assert line.net + line.vat == line.gross


def test_net_invoice_keeps_the_net_of_each_rate_exactly() -> None:
    lines = [(R22, d("0.99")), (R22, d("0.01")), (R4, d("7.77"))]
    summary = vat_summary(lines, PriceDirection.NET, EUR)
    assert [s.net for s in summary] == [d("1.00"), d("7.77")]


# --- the per-rate rounding policy -------------------------------------------------------------


def test_vat_is_rounded_once_per_rate_not_once_per_line() -> None:
    # Per line: 0.10 gross at 22 % holds 0.018 VAT -> 0.02, three times 0.06.
    # Per rate: 0.30 holds 0.0541 VAT -> 0.05, as a fiscal printer computes it.
    lines = [(R22, d("0.10"))] * 3
    (line,) = vat_summary(lines, PriceDirection.GROSS, EUR)
    assert line.vat == d("0.05")
    assert line.net == d("0.25")
    assert line.gross == d("0.30")


def test_vat_rounding_follows_the_currency_mode() -> None:
    lines = [(R10, d("0.25"))]
    half_up = vat_summary(lines, PriceDirection.NET, EUR)
    half_even = vat_summary(
        lines, PriceDirection.NET, EUR.with_rounding(RoundingPolicy(RoundingMode.HALF_EVEN))
    )
    assert half_up[0].vat == d("0.03")
    assert half_even[0].vat == d("0.02")


def test_lines_with_the_same_rate_code_are_summed_into_one_summary_line() -> None:
    lines = [(R4, d("1.00")), (R4, d("2.00")), (R4, d("3.00"))]
    summary = vat_summary(lines, PriceDirection.GROSS, EUR)
    assert len(summary) == 1
    assert summary[0].gross == d("6.00")


def test_rates_are_listed_highest_percent_first_then_by_code() -> None:
    n2 = VatRate("N2", Decimal(0), "Non soggetta", "N2")
    lines = [(N4, d("1.00")), (R4, d("1.00")), (n2, d("1.00")), (R22, d("1.00")), (R10, d("1.00"))]
    summary = vat_summary(lines, PriceDirection.GROSS, EUR)
    assert [s.rate.code for s in summary] == ["22", "10", "4", "N2", "N4"]


def test_an_exempt_rate_has_no_vat_and_keeps_its_nature() -> None:
    (line,) = vat_summary([(N4, d("30.00"))], PriceDirection.GROSS, EUR)
    assert (line.net, line.vat, line.gross) == (d("30.00"), d("0.00"), d("30.00"))
    assert line.rate.nature == "N4"


def test_negative_lines_reduce_their_rate() -> None:
    lines = [(R22, d("12.20")), (R22, d("-1.22"))]
    (line,) = vat_summary(lines, PriceDirection.GROSS, EUR)
    assert (line.net, line.vat, line.gross) == (d("9.00"), d("1.98"), d("10.98"))


def test_an_empty_document_has_an_empty_vat_summary() -> None:
    assert vat_summary([], PriceDirection.GROSS, EUR) == []


def test_price_direction_reads_from_pack_text() -> None:
    assert PriceDirection("gross") is PriceDirection.GROSS
    assert PriceDirection("net") is PriceDirection.NET
