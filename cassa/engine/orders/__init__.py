"""Offers, sales orders, their fulfilment in parts and the deposits taken on them.

Public names: `OrderDesk` (`Till.orders`), `Order`, `Progress`, `Deposit`, `OrderState`,
the pack's `OrderSettings`, `find_orders` and the reports `open_orders`,
`deposits_held`.
"""

from cassa.engine.orders._book import Deposit, OrderBook, OrderState
from cassa.engine.orders._context import Order, OrderContext
from cassa.engine.orders._desk import OrderDesk, install
from cassa.engine.orders._generated import commit_generated, order_value
from cassa.engine.orders._lines import OVER_ORDER, Progress
from cassa.engine.orders._query import find_orders
from cassa.engine.orders._reports import deposits_held, open_orders, order_json
from cassa.engine.orders._settings import OrderSettings, order_settings

__all__ = [
    "OVER_ORDER",
    "Deposit",
    "Order",
    "OrderBook",
    "OrderContext",
    "OrderDesk",
    "OrderSettings",
    "OrderState",
    "Progress",
    "commit_generated",
    "deposits_held",
    "find_orders",
    "install",
    "open_orders",
    "order_json",
    "order_settings",
    "order_value",
]
