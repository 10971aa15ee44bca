"""Coupons: validity, the customer they belong to, and offline use."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from cassa.engine.errors import InvalidInput
from cassa.engine.pricing.engine import Pricer, PythonMatcher
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.storefiles import load_store

ROOT = Path(__file__).resolve().parents[3]
SHOP = load_store(ROOT / "examples" / "seed-shop")
PACK = load_rule_pack(ROOT / "examples" / "packs" / "seeds", SHOP.catalog)
PRICER = Pricer(PACK, SHOP.catalog, PythonMatcher(PACK))
LUCIA = SHOP.catalog.customer("LUCIA")
NOW = datetime(2026, 3, 10, 11, 0, tzinfo=UTC)


def test_a_valid_coupon_for_its_customer_is_accepted() -> None:
    assert PRICER.coupon("BIJOU-7F3K", LUCIA, NOW).rule == "bijoux-coupon-5"


def test_a_coupon_bound_to_a_customer_refuses_anyone_else() -> None:
    with pytest.raises(InvalidInput, match="belongs to another customer"):
        PRICER.coupon("BIJOU-7F3K", SHOP.catalog.customer("CORA"), NOW)
    with pytest.raises(InvalidInput, match="belongs to another customer"):
        PRICER.coupon("BIJOU-7F3K", None, NOW)


def test_an_expired_coupon_is_refused_with_its_date() -> None:
    with pytest.raises(InvalidInput, match="expired on 12/31/2025") as refused:
        PRICER.coupon("BIJOU-OLD", LUCIA, NOW)
    assert refused.value.render("it") == "Il coupon BIJOU-OLD è scaduto il 31/12/2025"


def test_a_coupon_not_allowed_offline_is_refused_while_offline() -> None:
    with pytest.raises(InvalidInput, match="cannot be used while the till is offline"):
        PRICER.coupon("BIJOU-7F3K", LUCIA, NOW, online=False)


def test_a_multi_use_coupon_has_no_limit_of_uses() -> None:
    coupon = PACK.coupons["GIFT20"]
    assert coupon.uses_allowed is None
    assert not coupon.single_use


def test_an_unknown_code_is_named() -> None:
    with pytest.raises(InvalidInput, match="no coupon with code XYZ"):
        PRICER.coupon("XYZ", LUCIA, NOW)
