"""Process settings for a long-running till."""

from __future__ import annotations

import gc

__all__ = ["settle_memory"]


def settle_memory() -> None:
    """Call once the till has loaded its catalog and rule packs.

    A large pack is hundreds of thousands of long-lived objects; left in the
    young generations, the garbage collector re-examines them during a scan
    and a re-price pauses for tens of milliseconds. Freezing moves them out of
    its sight, and a higher first threshold makes young collections rarer.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)
