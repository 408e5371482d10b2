"""Working hours of the one-stop shop: when staff answer, when they are back, and working-day deadlines.

Read from three settings (``OFFICE_DAYS``, ``OFFICE_HOURS``, ``HOLIDAYS``) in Vietnamese time, which has
no daylight saving. A day is a working day when its weekday is an office day and it is not a holiday.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

# The same offset as ``assistant.database.VN_TZ`` (settings import this module: it stays free of SQL).
VN_TZ = timezone(timedelta(hours=7), "ICT")

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_SPAN = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


class OfficeHoursError(ValueError):
    """A setting of the working hours cannot be read (raised when the settings are loaded)."""


def parse_days(value: str) -> frozenset[int]:
    """ "1-5" (Monday to Friday) or "1-5,6": ISO weekday numbers, Monday = 1 … Sunday = 7."""
    days: set[int] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        first, _, last = part.partition("-")
        try:
            low, high = int(first), int(last or first)
        except ValueError as exc:
            raise OfficeHoursError(f"OFFICE_DAYS: {part!r} is not a weekday number or range") from exc
        if not 1 <= low <= high <= 7:
            raise OfficeHoursError(f"OFFICE_DAYS: {part!r} is outside 1 (Monday) … 7 (Sunday)")
        days.update(range(low, high + 1))
    if not days:
        raise OfficeHoursError("OFFICE_DAYS is empty")
    return frozenset(days)


def parse_spans(value: str) -> tuple[tuple[time, time], ...]:
    """ "07:30-11:30,13:30-17:00": the sessions of a working day, in order, not overlapping."""
    spans: list[tuple[time, time]] = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        match = _SPAN.match(part)
        if match is None:
            raise OfficeHoursError(f"OFFICE_HOURS: {part!r} is not HH:MM-HH:MM")
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2):
            raise OfficeHoursError(f"OFFICE_HOURS: {part!r} is not a time of day")
        start = time(h1, m1)
        end = time.max if h2 == 24 else time(h2, m2)
        if end <= start or (spans and start < spans[-1][1]):
            raise OfficeHoursError(f"OFFICE_HOURS: {part!r} ends before it starts or overlaps")
        spans.append((start, end))
    if not spans:
        raise OfficeHoursError("OFFICE_HOURS is empty")
    return tuple(spans)


def parse_holidays(value: str) -> frozenset[date]:
    """ "2027-01-01,2027-02-05..2027-02-11": single days and inclusive ranges."""
    days: set[date] = set()
    for part in filter(None, (p.strip() for p in value.split(","))):
        first, _, last = part.partition("..")
        try:
            low = date.fromisoformat(first.strip())
            high = date.fromisoformat(last.strip()) if last else low
        except ValueError as exc:
            raise OfficeHoursError(f"HOLIDAYS: {part!r} is not YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD") from exc
        if high < low:
            raise OfficeHoursError(f"HOLIDAYS: {part!r} ends before it starts")
        days.update(low + timedelta(days=n) for n in range((high - low).days + 1))
    return frozenset(days)


@dataclass(frozen=True)
class OfficeHours:
    days: frozenset[int]
    spans: tuple[tuple[time, time], ...]
    holidays: frozenset[date]

    @classmethod
    def parse(cls, days: str, hours: str, holidays: str) -> OfficeHours:
        return cls(parse_days(days), parse_spans(hours), parse_holidays(holidays))

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() in self.days and day not in self.holidays

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(VN_TZ)
        if not self.is_working_day(local.date()):
            return False
        now = local.time()
        return any(start <= now < end for start, end in self.spans)

    def next_opening(self, at: datetime) -> datetime:
        """When staff are next at work: ``at`` itself when open, else the start of the next session."""
        if self.is_open(at):
            return at
        local = at.astimezone(VN_TZ)
        day = local.date()
        for _ in range(400):  # a year of holidays at most; a setting with no working day fails earlier
            if self.is_working_day(day):
                for start, _end in self.spans:
                    opening = datetime.combine(day, start, VN_TZ)
                    if opening > local:
                        return opening
            day += timedelta(days=1)
        raise OfficeHoursError("no working day in the next 400 days: check OFFICE_DAYS and HOLIDAYS")

    def add_working_days(self, at: datetime, days: int) -> datetime:
        """The end of the ``days``-th working day after ``at``'s day (deadlines in working days)."""
        day = at.astimezone(VN_TZ).date()
        left = days
        while left > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return datetime.combine(day, self.spans[-1][1], VN_TZ).replace(microsecond=0)


def opening_text(opening: datetime, now: datetime) -> str:
    """ "7 giờ 30 sáng thứ Hai 30/11" — or "7 giờ 30 sáng nay" / "ngày mai" when that is what it is."""
    local = opening.astimezone(VN_TZ)
    today = now.astimezone(VN_TZ).date()
    clock = f"{local.hour} giờ {local.minute:02d}" if local.minute else f"{local.hour} giờ"
    part = "sáng" if local.hour < 11 else "trưa" if local.hour < 13 else "chiều" if local.hour < 18 else "tối"
    if local.date() == today:
        return f"{clock} {part} nay"
    if local.date() == today + timedelta(days=1):
        return f"{clock} {part} mai ({WEEKDAY_NAMES[local.weekday()]} {local:%d/%m})"
    return f"{clock} {part} {WEEKDAY_NAMES[local.weekday()]} {local:%d/%m}"
