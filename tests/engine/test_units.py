"""Units of measure: base units, additional units and quantity precision."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cassa.engine.errors import InvalidInput, QuantityPrecisionError
from cassa.engine.units import ItemUnits, Unit, UnitConversion, UnitQuantity

PZ = Unit("pz", "pezzo", 0)
MQ = Unit("mq", "metro quadrato", 2)
KG = Unit("kg", "chilogrammo", 3)

# The seed's wall tile: base unit pz (precision 0), additional unit mq with 1 pz = 0.37 mq.
TILE = ItemUnits(PZ, (UnitConversion(MQ, Decimal("0.37")),))


def test_eleven_square_metres_of_tiles_are_thirty_pieces() -> None:
    quantity = TILE.quantity(Decimal("11.0"), "mq")
    assert quantity.base_quantity == Decimal(30)
    assert quantity.unit == "mq"


def test_eleven_square_metres_of_tiles_are_shown_as_the_area_thirty_pieces_cover() -> None:
    quantity = TILE.quantity(Decimal("11.0"), "mq")
    assert quantity.quantity == Decimal("11.1")
    assert str(quantity.quantity) == "11.1"


def test_an_area_that_is_a_whole_number_of_pieces_is_not_rounded_up() -> None:
    quantity = TILE.quantity(Decimal("3.70"), "mq")
    assert quantity == UnitQuantity("mq", Decimal("3.7"), Decimal(10))


def test_a_tiny_area_still_needs_one_whole_piece() -> None:
    assert TILE.quantity(Decimal("0.01"), "mq").base_quantity == Decimal(1)


def test_a_negative_area_is_returned_as_whole_pieces_away_from_zero() -> None:
    quantity = TILE.quantity(Decimal("-11.0"), "mq")
    assert quantity.base_quantity == Decimal(-30)
    assert quantity.quantity == Decimal("-11.1")


def test_a_zero_area_is_zero_pieces() -> None:
    assert TILE.quantity(Decimal(0), "mq").base_quantity == 0


def test_a_quantity_in_the_base_unit_is_kept_as_typed() -> None:
    assert TILE.quantity(Decimal(4)) == UnitQuantity("pz", Decimal(4), Decimal(4))
    assert TILE.quantity(Decimal(4), "pz") == UnitQuantity("pz", Decimal(4), Decimal(4))


def test_a_whole_quantity_written_with_a_zero_decimal_fits_a_precision_of_zero() -> None:
    assert TILE.quantity(Decimal("3.0")).base_quantity == 3


def test_half_a_piece_does_not_fit_the_precision_of_the_base_unit() -> None:
    with pytest.raises(QuantityPrecisionError) as raised:
        TILE.quantity(Decimal("2.5"))
    assert raised.value.message == (
        "quantity 2.5 pz does not fit the precision of unit pz (no decimals)"
    )


def test_a_quantity_precision_error_is_invalid_input_with_its_own_code() -> None:
    with pytest.raises(InvalidInput) as raised:
        TILE.quantity(Decimal("2.5"), "pz")
    assert raised.value.code == "quantity_precision"


def test_an_area_with_more_decimals_than_its_unit_allows_is_refused() -> None:
    with pytest.raises(QuantityPrecisionError, match=r"1\.234 mq .* unit mq \(2 decimals\)"):
        TILE.quantity(Decimal("1.234"), "mq")


def test_a_weight_may_have_as_many_decimals_as_its_unit() -> None:
    strawberries = ItemUnits(KG)
    assert strawberries.quantity(Decimal("2.2")).base_quantity == Decimal("2.2")
    assert strawberries.quantity(Decimal("0.125")).base_quantity == Decimal("0.125")
    with pytest.raises(QuantityPrecisionError, match="3 decimals"):
        strawberries.quantity(Decimal("0.1255"))


def test_an_unknown_unit_names_the_units_the_item_has() -> None:
    with pytest.raises(InvalidInput) as raised:
        TILE.quantity(Decimal(1), "m")
    assert raised.value.message == "unit m is not defined for this item (units: pz, mq)"
    assert not isinstance(raised.value, QuantityPrecisionError)


def test_an_item_lists_its_base_unit_first() -> None:
    assert TILE.codes() == ["pz", "mq"]
    assert ItemUnits(KG).codes() == ["kg"]


def test_an_item_finds_each_of_its_units_by_code() -> None:
    assert TILE.unit("pz") is PZ
    assert TILE.unit("mq") is MQ
    with pytest.raises(InvalidInput):
        TILE.unit("kg")


def test_a_base_unit_with_decimals_rounds_converted_quantities_up_to_its_precision() -> None:
    # 1 kg of loose screws is 300 pieces: 150 pieces are 0.5 kg, 100 pieces 0.3333… kg.
    screws = ItemUnits(KG, (UnitConversion(Unit("pz"), Decimal(300)),))
    assert screws.quantity(Decimal(150), "pz").base_quantity == Decimal("0.500")
    assert screws.quantity(Decimal(100), "pz").base_quantity == Decimal("0.334")


def test_a_converted_whole_quantity_is_shown_in_plain_digits() -> None:
    # A box of 10 pieces: 25 pieces need 3 boxes, shown as 30 pieces (not 3E+1).
    boxes = ItemUnits(Unit("box"), (UnitConversion(Unit("pz"), Decimal(10)),))
    quantity = boxes.quantity(Decimal(25), "pz")
    assert quantity.base_quantity == 3
    assert str(quantity.quantity) == "30"


def test_unit_check_accepts_quantities_within_precision() -> None:
    MQ.check(Decimal("11.10"))
    PZ.check(Decimal(30))
    PZ.check(Decimal(-2))
