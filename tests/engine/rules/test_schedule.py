"""Schedules: validity dates, daily / weekly / monthly windows, exclusions."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cassa.engine.rules.schedule import parse_schedule
from cassa.i18n import translate

ROME = ZoneInfo("Europe/Rome")

JULY = parse_schedule(
    {
        "valid_from": "2019-07-01",
        "valid_to": "2019-07-31",
        "windows": [
            {"every": "daily", "interval": 2, "from": "10:00", "to": "19:30"},
            {"every": "weekly", "weekdays": ["mon"], "from": "10:00", "to": "20:30"},
        ],
        "exclude": {"weekends": True, "dates": ["2019-07-19"]},
    }
)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ROME)


@pytest.mark.parametrize(
    ("moment", "active"),
    [
        ("2019-07-05 14:00", True),  # the seed's valid examples
        ("2019-07-15 14:00", True),
        ("2019-07-09 20:00", False),  # the seed's invalid examples
        ("2019-07-14 14:00", False),
        ("2019-07-15 20:00", True),  # a Monday: the weekly window runs to 20:30
        ("2019-07-15 20:30", False),  # windows end before their closing time
        ("2019-07-05 09:59", False),
        ("2019-07-04 14:00", False),  # an even day outside the every-two-days window
        ("2019-07-19 14:00", False),  # excluded whole day
        ("2019-06-29 14:00", False),  # before the validity dates
    ],
)
def test_the_july_schedule_of_the_seed(moment: str, active: bool) -> None:
    assert JULY.is_active(at(moment)) is active


def test_an_inactive_moment_says_why() -> None:
    assert str(JULY.why_inactive(at("2019-07-14 14:00"))) == "not valid at weekends"
    assert str(JULY.why_inactive(at("2019-08-01 14:00"))) == "valid until 2019-07-31"
    assert translate(JULY.why_inactive(at("2019-08-01 14:00")) or "", "it") == (
        "valida fino al 2019-07-31"
    )
    assert JULY.why_inactive(at("2019-07-05 14:00")) is None


def test_monthly_days_count_from_the_end_when_negative() -> None:
    schedule = parse_schedule({"windows": [{"every": "monthly", "days": [1, -1]}]})
    assert schedule.is_active(at("2026-02-28 12:00"))
    assert schedule.is_active(at("2026-03-01 12:00"))
    assert not schedule.is_active(at("2026-02-27 12:00"))


def test_the_last_weekend_of_the_month() -> None:
    schedule = parse_schedule({"windows": [{"every": "monthly", "last_weekend": True}]})
    assert schedule.is_active(at("2026-11-28 12:00"))  # Saturday
    assert schedule.is_active(at("2026-11-29 12:00"))  # Sunday
    assert not schedule.is_active(at("2026-11-21 12:00"))
    assert not schedule.is_active(at("2026-11-30 12:00"))


def test_a_weekly_window_every_second_week() -> None:
    schedule = parse_schedule(
        {
            "windows": [
                {"every": "weekly", "interval": 2, "weekdays": ["fri"], "start": "2026-11-02"}
            ]
        }
    )
    assert schedule.is_active(at("2026-11-06 12:00"))
    assert not schedule.is_active(at("2026-11-13 12:00"))
    assert schedule.is_active(at("2026-11-20 12:00"))


def test_excluded_weekdays_win_over_windows() -> None:
    schedule = parse_schedule({"exclude": {"weekdays": ["wed"]}})
    assert not schedule.is_active(at("2026-11-25 12:00"))
    assert schedule.is_active(at("2026-11-26 12:00"))
