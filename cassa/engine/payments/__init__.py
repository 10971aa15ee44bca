"""Payments: tenders, the payment window, vouchers, gift cards, cheques, card payments.

`Till.checkout()` opens the payment window (`Checkout`) on the current
document. Tenders and their restrictions come from the pack (kinds `Tenders`
and `TenderRules`); card payments go through the payment-terminal interface
(`cassa.devices.terminal`) and are never charged twice.
"""

from cassa.engine.payments._cards import CardPayments, CardState, CardTerminal, CardTransaction
from cassa.engine.payments._checkout import (
    Checkout,
    PaidDocument,
    PaymentDevices,
    PaymentEntry,
    Settlement,
    SettlementRow,
    movements_for,
    social_voucher_valid_to,
)
from cassa.engine.payments._cheques import rlmc_key, rlmc_valid
from cassa.engine.payments._errors import (
    CardDeclined,
    CardOutcomeUnknown,
    LocalizedError,
    PaymentRefused,
)
from cassa.engine.payments._rules import PythonTenderMatcher, TenderMatcher, TenderOption
from cassa.engine.payments._settings import (
    CashRules,
    MoneySettings,
    ReminderRule,
    SafeRules,
    Tender,
    TenderRule,
    TenderType,
    VoucherKind,
    WorkMode,
    money_settings,
    settings_from_pack,
)
from cassa.engine.payments._stored_values import StoredValue, StoredValues
from cassa.engine.payments._vouchers import Vouchers

__all__ = [
    "CardDeclined",
    "CardOutcomeUnknown",
    "CardPayments",
    "CardState",
    "CardTerminal",
    "CardTransaction",
    "CashRules",
    "Checkout",
    "LocalizedError",
    "MoneySettings",
    "PaidDocument",
    "PaymentDevices",
    "PaymentEntry",
    "PaymentRefused",
    "PythonTenderMatcher",
    "ReminderRule",
    "SafeRules",
    "Settlement",
    "SettlementRow",
    "StoredValue",
    "StoredValues",
    "Tender",
    "TenderMatcher",
    "TenderOption",
    "TenderRule",
    "TenderType",
    "VoucherKind",
    "Vouchers",
    "WorkMode",
    "money_settings",
    "movements_for",
    "rlmc_key",
    "rlmc_valid",
    "settings_from_pack",
    "social_voucher_valid_to",
]
