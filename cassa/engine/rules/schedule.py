"""Schedules ("happy hours"): when a promotion or a coupon is valid.

A schedule has optional validity dates, windows and exclusions. It is active
at a moment when the moment is within the validity dates, inside at least one
window (no windows: all day), and not excluded (weekends, listed dates,
weekdays). Windows:

- daily: every `interval_days` days counted from `valid_from` (or from the
  window's own `start`), between `from` and `to`;
- weekly: on the listed weekdays, every `interval_weeks` weeks;
- monthly: on the listed days of the month (negative counts from the end:
  -1 is the last day), or on the last `last_weekend` weekend of the month.

Times are local to the store; `to` is exclusive so 10:00–19:30 ends at 19:30.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from cassa.i18n import Text, _

__all__ = ["Schedule", "Window", "parse_schedule"]

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Window:
    every: Literal["daily", "weekly", "monthly"]
    start: time = time(0, 0)
    end: time = time(23, 59, 59, 999999)
    interval: int = 1  # days for daily, weeks for weekly
    weekdays: tuple[str, ...] = ()
    days: tuple[int, ...] = ()  # days of the month; negative from the end
    last_weekend: bool = False
    anchor: date | None = None

    def covers(self, moment: datetime, anchor: date | None) -> bool:
        if not self.start <= moment.time() < self.end:
            return False
        day = moment.date()
        origin = self.anchor or anchor or date(1970, 1, 5)  # a Monday
        if self.every == "daily":
            return (day - origin).days % self.interval == 0
        if self.every == "weekly":
            weeks = (day - (origin - timedelta(days=origin.weekday()))).days // 7
            on_day = not self.weekdays or WEEKDAYS[day.weekday()] in self.weekdays
            return on_day and weeks % self.interval == 0
        return self._monthly(day)

    def _monthly(self, day: date) -> bool:
        length = calendar.monthrange(day.year, day.month)[1]
        if self.days and any((d if d > 0 else length + 1 + d) == day.day for d in self.days):
            return True
        if self.last_weekend and day.weekday() >= 5:
            last_sunday = max(
                d
                for d in range(length, length - 7, -1)
                if date(day.year, day.month, d).weekday() == 6
            )
            return last_sunday - 1 <= day.day <= last_sunday
        return False


@dataclass(frozen=True)
class Schedule:
    valid_from: date | None = None
    valid_to: date | None = None
    windows: tuple[Window, ...] = ()
    exclude_weekends: bool = False
    exclude_dates: tuple[date, ...] = ()
    exclude_weekdays: tuple[str, ...] = field(default=())

    def is_active(self, moment: datetime) -> bool:
        """Whether the schedule allows `moment` (an aware datetime in the store's zone)."""
        day = moment.date()
        if self.valid_from and day < self.valid_from:
            return False
        if self.valid_to and day > self.valid_to:
            return False
        if self.exclude_weekends and day.weekday() >= 5:
            return False
        if day in self.exclude_dates or WEEKDAYS[day.weekday()] in self.exclude_weekdays:
            return False
        return not self.windows or any(w.covers(moment, self.valid_from) for w in self.windows)

    def why_inactive(self, moment: datetime) -> Text | None:
        """A sentence for `explain`, or None when active."""
        if self.is_active(moment):
            return None
        day = moment.date()
        if self.valid_from and day < self.valid_from:
            return _("valid from {date}", date=self.valid_from.isoformat())
        if self.valid_to and day > self.valid_to:
            return _("valid until {date}", date=self.valid_to.isoformat())
        if self.exclude_weekends and day.weekday() >= 5:
            return _("not valid at weekends")
        if day in self.exclude_dates:
            return _("not valid on {date}", date=day.isoformat())
        if WEEKDAYS[day.weekday()] in self.exclude_weekdays:
            return _("not valid on {date}", date=WEEKDAYS[day.weekday()])
        at = moment.strftime("%Y-%m-%d %H:%M")
        return _("outside its time windows at {moment}", moment=at)


def _time(text: str) -> time:
    hours, minutes = text.split(":")
    if int(hours) == 24 and int(minutes) == 0:
        return time(23, 59, 59, 999999)
    return time(int(hours), int(minutes))


def parse_schedule(data: dict[str, Any]) -> Schedule:
    """A Schedule from schema-validated YAML data."""
    windows = []
    for spec in data.get("windows", []):
        windows.append(
            Window(
                every=spec["every"],
                start=_time(spec.get("from", "00:00")),
                end=_time(spec.get("to", "24:00")),
                interval=int(spec.get("interval", 1)),
                weekdays=tuple(spec.get("weekdays", ())),
                days=tuple(spec.get("days", ())),
                last_weekend=bool(spec.get("last_weekend", False)),
                anchor=date.fromisoformat(spec["start"]) if "start" in spec else None,
            )
        )
    exclude = data.get("exclude", {})
    return Schedule(
        valid_from=date.fromisoformat(data["valid_from"]) if "valid_from" in data else None,
        valid_to=date.fromisoformat(data["valid_to"]) if "valid_to" in data else None,
        windows=tuple(windows),
        exclude_weekends=bool(exclude.get("weekends", False)),
        exclude_dates=tuple(date.fromisoformat(d) for d in exclude.get("dates", ())),
        exclude_weekdays=tuple(exclude.get("weekdays", ())),
    )
