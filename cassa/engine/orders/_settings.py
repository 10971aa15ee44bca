"""The `Orders` kind: how a pack takes deposits on orders and what cancelling does with them.

```yaml
apiVersion: cassa/v1
kind: Orders
deposit:
  document:                  # the document a deposit is taken on, by the customer's kind
    business: advance_invoice  # FAV
    retail: receipt            # a retail customer gets a receipt (fiscal where the country says)
  on_cancel: [refund, voucher] # what a cancelled order's deposit may become; the first is
  voucher_kind: CREDIT         #   the default; a voucher of this kind (Tenders' voucher_kinds)
fulfilment:
  copy_quantities: true        # a generated document starts with all that remains
```
Keys merge over the pack chain, base first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cassa.engine.packs import Pack
from cassa.engine.taxes._settings import merged_sections, shown
from cassa.engine.yamlsource import Problem

__all__ = ["OrderSettings", "order_settings"]

REFUND = "refund"
VOUCHER = "voucher"


@dataclass(frozen=True)
class OrderSettings:
    deposit_documents: dict[str, str] = field(
        default_factory=lambda: {"business": "advance_invoice", "retail": "receipt"}
    )
    on_cancel: tuple[str, ...] = (REFUND,)
    voucher_kind: str | None = None
    copy_quantities: bool = True
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)  # for `rules show`

    def deposit_document(self, customer_kind: str) -> str:
        return self.deposit_documents.get(customer_kind, "receipt")


def order_settings(
    pack: Pack, voucher_kinds: frozenset[str]
) -> tuple[OrderSettings, list[Problem]]:
    """The pack's merged Orders and its problems (a voucher kind the Tenders do not declare)."""
    problems: list[Problem] = []
    merged = merged_sections(pack, "Orders", ("deposit", "fulfilment"))
    deposit = {key: value for key, (value, _, _) in merged.get("deposit", {}).items()}
    fulfilment = {key: value for key, (value, _, _) in merged.get("fulfilment", {}).items()}
    default = OrderSettings()
    settings = OrderSettings(
        deposit_documents={**default.deposit_documents, **deposit.get("document", {})},
        on_cancel=tuple(deposit.get("on_cancel", default.on_cancel)),
        voucher_kind=deposit.get("voucher_kind"),
        copy_quantities=bool(fulfilment.get("copy_quantities", True)),
        sources={name: shown(section) for name, section in merged.items()},
    )
    section = merged.get("deposit", {})
    if VOUCHER in settings.on_cancel:
        if settings.voucher_kind is None:
            value, document, at = section["on_cancel"]
            problems.append(
                document.problem(at, "a deposit kept as a voucher needs deposit.voucher_kind")
            )
        elif settings.voucher_kind not in voucher_kinds:
            value, document, at = section["voucher_kind"]
            known = ", ".join(sorted(voucher_kinds)) or "none"
            problems.append(
                document.problem(
                    at, f"voucher kind '{value}' is not declared in the pack's Tenders ({known})"
                )
            )
    return settings, problems
