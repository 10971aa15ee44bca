"""VAT rates, price directions and the per-rate VAT summary of a document.

Rounding policy: **per rate**. Line values are rounded to the currency's minor
units first; the VAT of each rate is then computed once on the sum of that
rate's line values and rounded once. This is how fiscal printers (the Italian RT
among them) build their VAT summary, and it makes the summary add up exactly:
for every rate net + VAT = gross, and the sum over rates equals the document
total. Rounding per line instead would let the per-rate VAT drift from the
fiscal printer's by a cent on long receipts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from cassa.engine.money import Currency

__all__ = ["PriceDirection", "VatRate", "VatSummaryLine", "vat_summary"]

HUNDRED = Decimal(100)


class PriceDirection(StrEnum):
    """Whether a document's prices include VAT (gross) or exclude it (net)."""

    GROSS = "gross"
    NET = "net"


@dataclass(frozen=True)
class VatRate:
    code: str
    percent: Decimal
    label: str = ""
    nature: str | None = None  # exemption nature (e.g. Italian N4) for 0 % rates

    def vat_of_gross(self, gross: Decimal) -> Decimal:
        return gross * self.percent / (HUNDRED + self.percent)

    def vat_of_net(self, net: Decimal) -> Decimal:
        return net * self.percent / HUNDRED

    def net_from_gross(self, gross: Decimal, currency: Currency) -> Decimal:
        return currency.round(gross - self.vat_of_gross(gross))

    def gross_from_net(self, net: Decimal, currency: Currency) -> Decimal:
        return currency.round(net + self.vat_of_net(net))


@dataclass(frozen=True)
class VatSummaryLine:
    rate: VatRate
    net: Decimal
    vat: Decimal
    gross: Decimal


def vat_summary(
    line_values: Iterable[tuple[VatRate, Decimal]],
    direction: PriceDirection,
    currency: Currency,
) -> list[VatSummaryLine]:
    """Per-rate totals for line values already rounded to minor units.

    `direction` says whether the values are gross or net. Rates appear in the
    order of their percent, highest first, as receipts print them.
    """
    by_rate: dict[str, tuple[VatRate, Decimal]] = {}
    for rate, value in line_values:
        _, running = by_rate.get(rate.code, (rate, Decimal(0)))
        by_rate[rate.code] = (rate, running + value)
    summary = []
    for rate, base in by_rate.values():
        if direction is PriceDirection.GROSS:
            vat = currency.round(rate.vat_of_gross(base))
            summary.append(VatSummaryLine(rate, base - vat, vat, base))
        else:
            vat = currency.round(rate.vat_of_net(base))
            summary.append(VatSummaryLine(rate, base, vat, base + vat))
    summary.sort(key=lambda s: (-s.rate.percent, s.rate.code))
    return summary
