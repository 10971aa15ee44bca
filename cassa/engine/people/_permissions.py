"""The permissions Cassa knows: a closed list, checked when a rule pack loads.

A role in a pack's `Roles` document lists permissions by these names. A pack
may add names of its own (a `permissions:` list in a Roles document, or the
`authorization` of a manual promotion); any other name is an error when the
pack loads, so a typo never silently takes a permission away.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["BUILTIN_PERMISSIONS", "Permission", "describe"]


class Permission(StrEnum):
    """What an operator may need a permission for (seed wording in comments)."""

    SET_LIST_PRICE = "set_list_price"  # Modifica del prezzo iniziale
    SELL_BELOW_MIN_PRICE = "sell_below_min_price"  # vendita sotto il prezzo minimo
    CLOSE_DAY_WITH_DIFFERENCE = "close_day_with_difference"  # chiusura con una differenza
    CLOSE_OTHER_SHIFT = "close_other_shift"  # Chiusure dei turni di altri operatori
    APPROVE_BUY_BACK = "approve_buy_back"  # Approvazione rimborso (riacquisto)
    VOID_CARD_PAYMENT = "void_card_payment"  # annullamento di un pagamento con carta
    MANUAL_REFUND = "manual_refund"  # rimborso manuale
    MAKE_RETURN = "make_return"  # reso della merce (CQS, CQFV)
    OPEN_DRAWER = "open_drawer"  # apertura del cassetto senza vendita
    REPRINT = "reprint"  # ristampa (duplicato)
    EDIT_EMPLOYEES = "edit_employees"  # Gestione dei dipendenti
    CHANGE_EMPLOYEE_PASSWORD = "change_employee_password"  # Modifica password del dipendente
    WITHDRAW_FROM_SAFE = "withdraw_from_safe"  # Prelievo dalla cassaforte
    DISCOUNT_ABOVE_LIMIT = "discount_above_limit"  # sconto oltre il limite del proprio ruolo
    CANCEL_ORDER = "cancel_order"  # annullamento dell'ordine di vendita
    DISCARD_DOCUMENT = "discard_document"  # rinuncia a un documento oltre il limite
    COUNT_STOCK = "count_stock"  # inventario: the differences become stock movements


_DESCRIPTIONS: dict[str, str] = {
    Permission.SET_LIST_PRICE: "change a list price",
    Permission.SELL_BELOW_MIN_PRICE: "sell below the minimum price",
    Permission.CLOSE_DAY_WITH_DIFFERENCE: "close a day with a difference",
    Permission.CLOSE_OTHER_SHIFT: "close another cashier's shift",
    Permission.APPROVE_BUY_BACK: "approve a buy-back",
    Permission.VOID_CARD_PAYMENT: "void a card payment",
    Permission.MANUAL_REFUND: "make a manual refund",
    Permission.MAKE_RETURN: "return goods",
    Permission.OPEN_DRAWER: "open the drawer without a sale",
    Permission.REPRINT: "reprint a document",
    Permission.EDIT_EMPLOYEES: "edit employees",
    Permission.CHANGE_EMPLOYEE_PASSWORD: "change an employee's password",
    Permission.WITHDRAW_FROM_SAFE: "withdraw money from the safe",
    Permission.DISCOUNT_ABOVE_LIMIT: "give a discount above one's limit",
    Permission.CANCEL_ORDER: "cancel a sales order",
    Permission.DISCARD_DOCUMENT: "discard a receipt above the pack's limit",
    Permission.COUNT_STOCK: "book a stock count",
}

BUILTIN_PERMISSIONS: frozenset[str] = frozenset(p.value for p in Permission)


def describe(permission: str) -> str:
    """What the permission allows, in words (the name itself for a pack's own ones)."""
    return _DESCRIPTIONS.get(permission, f"use {permission}")
