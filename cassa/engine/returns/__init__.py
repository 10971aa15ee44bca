"""Returns: a receipt's (CQS, `receipt_return`) or an invoice's (CQFV, `invoice_return`),
taken back line by line from the approved original at its prices, paid back through the
payment window, registered on the fiscal printer as a refund of the original's fiscal
receipt. `_lines`: what may be returned and the return lines; `_desk`: the till's commands
and hooks; `_scenario`: the scenario actions."""

from cassa.engine.returns._desk import (
    ReturnCheck,
    ReturnDesk,
    check_fiscal_original,
    commit_return,
    fiscalize_return,
    install,
)
from cassa.engine.returns._lines import Returnable, check_lines, return_line, returnable

__all__ = [
    "ReturnCheck",
    "ReturnDesk",
    "Returnable",
    "check_fiscal_original",
    "check_lines",
    "commit_return",
    "fiscalize_return",
    "install",
    "return_line",
    "returnable",
]
