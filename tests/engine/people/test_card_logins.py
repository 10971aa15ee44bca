"""Card logins: the PIN the demo asks, the pause after failures at a till and for
unknown cards everywhere, the one answer for every failure, the pack's warning."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from people_data import CARDS, PASSWORDS, PINS, pack_over_demo

from cassa.engine.people import AuditLog, Credentials, LoginRefused, authenticate
from cassa.engine.rules.rulepack import load_rule_pack
from cassa.engine.till import Till

PAUSED = "too many failed card logins: use your username and password"


def refusal(till: Till, **credentials: str) -> str:
    with pytest.raises(LoginRefused) as refused:
        till.login(**credentials)
    return refused.value.message


def test_the_demo_asks_the_pin_with_the_card(staffed_till: Till) -> None:
    assert refusal(staffed_till, card=CARDS["anna"]) == "wrong card number or PIN"
    assert refusal(staffed_till, card=CARDS["anna"], pin="0000") == "wrong card number or PIN"
    assert staffed_till.login(card=CARDS["anna"], pin=PINS["anna"]).username == "anna"


def test_every_failed_login_gets_the_same_answer_locked_unknown_or_wrong(
    staffed_till: Till,
) -> None:
    for _ in range(5):  # the demo locks after five failures in a row
        refusal(staffed_till, username="lucia", password="not-her-password")
    answers = {
        refusal(staffed_till, username="lucia", password=PASSWORDS["lucia"]),  # locked
        refusal(staffed_till, username="lucia", password="not-her-password"),  # locked, wrong
        refusal(staffed_till, username="marco", password="not-his-password"),  # wrong
        refusal(staffed_till, username="nessuno", password="not-a-password"),  # unknown
        refusal(staffed_till, username="paolo", password="he-has-none"),  # no password
    }
    assert answers == {"wrong username or password"}
    by_card = {
        refusal(staffed_till, card=CARDS["lucia"], pin=PINS["lucia"]),  # locked
        refusal(staffed_till, card=CARDS["marco"], pin="0000"),  # wrong PIN
        refusal(staffed_till, card="2900000000001", pin="1234"),  # nobody's card
    }
    assert by_card == {"wrong card number or PIN"}
    why = [r.detail.get("why") for r in AuditLog(staffed_till.database).events(limit=3)]
    assert why == ["locked", "wrong secret", "unknown username or card"]  # the log knows


def test_failed_card_logins_pause_card_logins_at_that_till_only(
    staffed_till: Till,
) -> None:
    for _ in range(5):  # the demo pack: 5 failures at a till within 10 minutes
        refusal(staffed_till, card=CARDS["marco"], pin="0000")
    assert PAUSED in refusal(staffed_till, card=CARDS["anna"], pin=PINS["anna"])
    assert "again in 10 minutes" in refusal(staffed_till, card=CARDS["anna"], pin=PINS["anna"])
    assert staffed_till.login("anna", PASSWORDS["anna"]).username == "anna"  # still works
    other = Till.open(staffed_till.database, till="T02", clock=staffed_till.clock)
    assert other.login(card=CARDS["anna"], pin=PINS["anna"]).username == "anna"
    later = staffed_till.now() + timedelta(minutes=11)
    staffed_till.clock = lambda: later
    assert staffed_till.login(card=CARDS["lucia"], pin=PINS["lucia"]).username == "lucia"


def test_unknown_cards_pause_card_logins_at_every_till(staffed_till: Till) -> None:
    people = staffed_till.employees().people
    for attempt in range(20):  # a sweep spread over 20 tills, one try at each
        with pytest.raises(LoginRefused, match="wrong card number or PIN"):
            authenticate(
                people,
                Credentials(card=f"29{attempt:011d}", pin="1234"),
                store="MI01",
                till=f"X{attempt:02d}",
            )
    assert PAUSED in refusal(staffed_till, card=CARDS["anna"], pin=PINS["anna"])
    [paused] = AuditLog(staffed_till.database).events(limit=1)
    assert paused.event == "login_refused"
    assert "20 unknown cards in 10 minutes" in str(paused.detail["why"])
    assert staffed_till.login("anna", PASSWORDS["anna"]).username == "anna"


def test_a_pack_letting_the_card_alone_log_in_is_warned_about(tmp_path: Path) -> None:
    pack = load_rule_pack(pack_over_demo(tmp_path / "cards", "cards: {login: card}"))
    [warning] = [w for w in pack.warnings if w.pointer == "/cards/login"]
    assert warning.severity == "warning"
    assert "without a PIN" in warning.message
    assert "security.yaml" in warning.file
    demo = load_rule_pack(pack_over_demo(tmp_path / "pins", "cards: {throttle: {per_till: 3}}"))
    assert not [w for w in demo.warnings if w.pointer == "/cards/login"]
    assert demo.security.card_throttle.per_till == 3
    assert demo.security.card_throttle.unknown_cards == 20
