"""What an operator counts or moves: an amount, or banknotes and coins, per tender."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from cassa.engine import inputs
from cassa.engine.errors import InvalidInput
from cassa.engine.payments._settings import MoneySettings
from cassa.i18n import _

__all__ = ["Count", "counts_from"]


@dataclass(frozen=True)
class Count:
    """An amount of a tender in a currency: typed (`amount`) or counted by denomination
    (`denominations`: face value -> pieces; seed: Conteggia la cassa)."""

    tender: str = "cash"
    amount: Decimal | None = None
    currency: str | None = None
    denominations: tuple[tuple[Decimal, int], ...] = ()

    @classmethod
    def of(
        cls,
        tender: str = "cash",
        amount: object = None,
        *,
        currency: str | None = None,
        denominations: Mapping[Any, Any] | None = None,
    ) -> Count:
        pieces: list[tuple[Decimal, int]] = []
        for face, number in (denominations or {}).items():
            value = inputs.amount(str(face), _("the banknote or coin value"))
            if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < 10**9:
                raise InvalidInput(
                    _(
                        "the pieces of {face} must be a whole number, not '{number}'",
                        face=face,
                        number=number,
                    )
                )
            if value <= 0:
                raise InvalidInput(_("{face} is not a banknote or coin value", face=face))
            pieces.append((value, number))
        total = None
        if amount is not None:
            total = inputs.amount(amount, _("a counted or moved amount"))
        if total is not None and pieces:
            counted = sum((face * n for face, n in pieces), Decimal(0))
            if counted != total:
                raise InvalidInput(
                    _(
                        "the denominations add up to {counted}, not to the amount {total}",
                        counted=counted,
                        total=total,
                    )
                )
        if total is None and not pieces:
            raise InvalidInput(_("give an amount or the pieces of each denomination"))
        return cls(tender, total, currency, tuple(sorted(pieces, reverse=True)))

    @property
    def by_denomination(self) -> bool:
        return bool(self.denominations)

    @property
    def total(self) -> Decimal:
        if self.denominations:
            return sum((face * n for face, n in self.denominations), Decimal(0))
        assert self.amount is not None
        return self.amount

    def key(self, settings: MoneySettings) -> tuple[str, str]:
        return self.tender, self.currency or settings.currency.code

    def check(self, settings: MoneySettings) -> None:
        tender = settings.tender(self.tender)
        currency = self.currency or settings.currency.code
        if currency not in tender.currencies:
            raise InvalidInput(
                _("{name} is not kept in {currency}", name=tender.name, currency=currency)
            )
        money = settings.currency_of(currency)
        if self.total != money.round(self.total):
            raise InvalidInput(
                _(
                    "{total} has more decimals than {currency} allows",
                    total=self.total,
                    currency=currency,
                )
            )
        known = settings.denominations.get(currency)
        if self.denominations and known:
            for face, _ignored in self.denominations:
                if face not in known:
                    raise InvalidInput(
                        _(
                            "{face} is not a {currency} banknote or coin ({items})",
                            face=face,
                            currency=currency,
                            items=", ".join(str(k) for k in known),
                        )
                    )

    def denominations_json(self) -> str:
        return json.dumps({str(face): n for face, n in self.denominations}, sort_keys=True)


def counts_from(data: Any) -> list[Count]:
    """Counts from scenario or CLI data: a list of {tender, amount | denominations, currency}."""
    if data is None:
        return []
    if isinstance(data, Mapping):
        data = [data]
    result = []
    for item in data:
        if not isinstance(item, Mapping):
            raise InvalidInput(
                _("a count is a mapping with tender and amount, not '{item}'", item=item)
            )
        result.append(
            Count.of(
                str(item.get("tender", "cash")),
                item.get("amount"),
                currency=item.get("currency"),
                denominations=item.get("denominations"),
            )
        )
    return result
