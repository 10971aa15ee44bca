"""Cash: the drawer's days and shifts, cash in / cash out, counting, the safe, reminders.

Every balance is derived from stored rows (`cash_movements`, `safe_movements`):
recomputing from the documents always gives the balance shown. `Till.cash`
is this package's `CashDesk` for one till.
"""

from cassa.engine.cash._counts import Count, counts_from
from cassa.engine.cash._desk import CashDesk, CashDocument
from cassa.engine.cash._ledger import BalanceLine, Reason, balances
from cassa.engine.cash._reminders import PythonReminderMatcher, reminder_facts, reminders
from cassa.engine.cash._safe import SafeLine, SafeTransaction, SafeView, safe_balances
from cassa.engine.cash._sessions import (
    ClosingLine,
    DayClosing,
    Shift,
    TenderBalance,
    close_shift,
    close_till_day,
    day_balances,
    open_shift,
    open_till_day,
    shift_balances,
)

__all__ = [
    "BalanceLine",
    "CashDesk",
    "CashDocument",
    "ClosingLine",
    "Count",
    "DayClosing",
    "PythonReminderMatcher",
    "Reason",
    "SafeLine",
    "SafeTransaction",
    "SafeView",
    "Shift",
    "TenderBalance",
    "balances",
    "close_shift",
    "close_till_day",
    "counts_from",
    "day_balances",
    "open_shift",
    "open_till_day",
    "reminder_facts",
    "reminders",
    "safe_balances",
    "shift_balances",
]
