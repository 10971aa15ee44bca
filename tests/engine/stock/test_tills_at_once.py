"""Four tills selling the last units of an item at once: the stock stays right. Each sale
is checked where it is approved; the one that would take a refusing group below zero is
refused whole, the others are sold, and what is on hand never goes below zero."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from staffing import ANNA

from cassa.engine.stock import StockLine, StockShortage, rebuilt_levels
from cassa.engine.till import Till

pytestmark = pytest.mark.slow

TILLS = ("T01", "T02", "T03", "T04")


def test_four_tills_selling_the_last_earrings_at_once_never_oversell(shop: Till) -> None:
    shop.stock.receive([StockLine("EARRING-GOLD", 10)])
    tills = []
    for code in TILLS:
        till = Till.open(shop.database, till=code, credentials=ANNA, clock=shop.clock)
        if code != "T01":
            till.open_day(0)
        till.new_document()
        till.scan("EARRING-GOLD", 3)
        tills.append(till)
    start = threading.Barrier(len(tills))
    sold: list[str] = []
    refused: list[str] = []
    failed: list[BaseException] = []

    def sell(till: Till) -> None:
        start.wait()
        try:
            sold.append(till.approve().number or "")
        except StockShortage:
            refused.append(till.code)
        except BaseException as error:  # reported below: a thread's error is not lost
            failed.append(error)

    threads = [threading.Thread(target=sell, args=(till,)) for till in tills]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failed == []
    assert (len(sold), len(refused)) == (3, 1)
    assert shop.stock.on_hand("EARRING-GOLD") == Decimal(1)
    with shop.database.reader.connect() as connection:
        summed = rebuilt_levels(connection)
    assert summed[("MI01", "FLOOR", "EARRING-GOLD", "")] == Decimal(1)
