"""Scenario actions for TAX FREE forms (registered in `cassa.engine.scenario`'s table).

- issue_tax_free: {receipt: S/T01/2026/000001, name: John Smith, document: P1234567,
                   residence: US}          # the last approved receipt by default
- expect_tax_free: {number: TF/T01/2026/000001, receipt: S/…, total: 129.90,
                    vat_total: 23.42, vat: [{rate: "22", vat: 23.42}]}
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cassa.engine.errors import InvalidInput
from cassa.engine.scenario import ExpectationFailed, action, differences, expect
from cassa.engine.taxfree._desk import Traveller
from cassa.i18n import _

if TYPE_CHECKING:
    from cassa.engine.scenario import ScenarioRun

__all__: list[str] = []


@action("issue_tax_free")
def _issue_tax_free(run: ScenarioRun, args: dict[str, Any]) -> object:
    receipt = args.get("receipt")
    if receipt is None:
        approved = run.till.document()
        if approved.number is None:
            raise InvalidInput(_("no receipt was approved: name one (receipt: S/…)"))
        receipt = approved.number
    traveller = Traveller(
        str(args.get("name", "")), str(args.get("document", "")), str(args.get("residence", ""))
    )
    form = run.till.tax_free.issue(str(receipt), traveller)
    run.extras["tax_free"] = form
    return form


@action("expect_tax_free")
def _expect_tax_free(run: ScenarioRun, args: dict[str, Any]) -> object:
    form = run.extras.get("tax_free")
    if form is None:
        raise ExpectationFailed(_("no TAX FREE form was issued (issue_tax_free)"))
    expect(differences(dict(args), form.as_json(), "tax free form"))
    return None
