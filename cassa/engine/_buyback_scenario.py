"""Scenario action for buy-back (registered in `cassa.engine.scenario`'s action table).

- expect_bought_back: {number: CM/T01/2026/000001, origin: S/T01/2026/000001, total: -20.00,
                       lines: [{sku: BUYBACK-GOLD, quantity: -1, value: -20.00}]}
  (`number: null`: the last approved sale bought nothing back)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cassa.engine.scenario import ExpectationFailed, action, differences, expect
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__: list[str] = []


@action("expect_bought_back")
def _expect_bought_back(run: ScenarioRun, args: dict[str, Any]) -> object:
    till = run.till
    correction = till.bought_back
    if correction is None:
        if args.get("number", "") is None:
            return None
        raise ExpectationFailed(_("the last approved sale bought nothing back"))
    stored = till.documents.load(correction.id)  # as the database keeps it
    totals = stored.totals(till.currency)
    actual = {
        "number": stored.number,
        "type": stored.type.value,
        "origin": stored.origin_number,
        "total": totals.total,
        "lines": [
            {
                "sku": t.line.sku,
                "name": t.line.name,
                "quantity": t.line.quantity,
                "list_price": t.line.list_price,
                "value": t.value,
            }
            for t in totals.lines
        ],
    }
    expect(differences(dict(args), actual, "bought back"))
    return None
