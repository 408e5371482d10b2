"""Short, correct Vietnamese statements of a procedure's fee, processing time and place of submission.

Pure functions of a Procedure (and, for dated fee rates, of today's date): the answer texts call
them and add links, buttons and wording of their own. Every line is read from the record:
- fee: the amounts the record states, wherever it states them, with their conditions as published;
  "Miễn phí" only when the record says free and nothing in it states an amount or a fee to pay;
- time: the number with its unit, or plainly "không ghi đơn vị"; the description's conditions;
- where: the agency fields when present, else what the level of the procedure means, said as such.
Lines are phone-sized: long published clauses are shortened at a word boundary with "…".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from search_index.catalogue import ChannelKind, Currency, FeeItem, Level, Procedure, SubmissionChannel
from search_index.channel_text import CELL_AMOUNT, format_vnd, is_plain_free

__all__ = [
    "FREE",
    "FeeStatus",
    "TimeStatus",
    "WhereSource",
    "channel_fee_status",
    "channel_time_status",
    "fee_lines",
    "fee_status",
    "fee_summary",
    "shorten",
    "time_lines",
    "time_status",
    "time_summary",
    "where_lines",
    "where_source",
    "where_summary",
]

FREE = "Miễn phí"
LINE_CHARS = 180
SUMMARY_CHARS = 90
MAX_FEE_LINES = 6
SHORT_FEE_NOTES = 1  # notes of a first fee answer, after the amounts ("Xem đầy đủ" gives the rest)
MAX_TIME_NOTES = 2

CHANNEL_NAMES = {
    ChannelKind.ONLINE: "Nộp trực tuyến",
    ChannelKind.IN_PERSON: "Nộp trực tiếp",
    ChannelKind.POSTAL: "Nộp qua dịch vụ bưu chính",
}
_CHANNEL_SHORT = {
    ChannelKind.ONLINE: "trực tuyến",
    ChannelKind.IN_PERSON: "trực tiếp",
    ChannelKind.POSTAL: "bưu chính",
}
# What each level means for where to submit under the 2025 two-level local government: every
# commune and the province have a Trung tâm Phục vụ hành chính công (their Bộ phận Một cửa);
# ministries receive at their own Bộ phận Một cửa.
_LEVEL_DESKS = {
    Level.COMMUNE: "Trung tâm Phục vụ hành chính công (Bộ phận Một cửa) của Ủy ban nhân dân cấp xã",
    Level.PROVINCE: "Trung tâm Phục vụ hành chính công cấp tỉnh hoặc Bộ phận Một cửa của cơ quan cấp tỉnh "
    "có thẩm quyền",
    Level.MINISTRY: "Bộ phận Một cửa của bộ, cơ quan ngang bộ có thẩm quyền",
}
_LEVEL_NAMES = {
    Level.COMMUNE: "cấp xã",
    Level.PROVINCE: "cấp tỉnh",
    Level.MINISTRY: "cấp bộ",
    Level.OTHER: "cơ quan khác",
}
_PEOPLES_COMMITTEE = re.compile(r"ủy ban nhân dân", re.IGNORECASE)


class FeeStatus(StrEnum):
    """What a channel's (or a record's) fee statement rests on."""

    AMOUNT = "amount"  # amounts read from the record
    FREE = "free"  # the record says free, and nothing in it states an amount or a fee to pay
    NOTE = "note"  # clauses without an amount ("Mức lệ phí do HĐND cấp tỉnh quyết định")
    RAW = "raw"  # the fee text as published, not read into items
    NONE = "none"


class TimeStatus(StrEnum):
    UNIT = "unit"  # a number with its unit
    NO_UNIT = "no_unit"  # a bare number
    TEXT = "text"  # words as published ("Không phải trả kết quả…")
    NONE = "none"


class WhereSource(StrEnum):
    AGENCY = "agency"  # agency or address fields
    LEVEL = "level"  # only the level of the procedure
    NONE = "none"


# ---------------------------------------------------------------------------------------- helpers


def shorten(text: str, limit: int = LINE_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-–(") + "…"


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _date(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def _kinds(channels: list[SubmissionChannel]) -> str:
    return ", ".join(dict.fromkeys(_CHANNEL_SHORT[c.kind] for c in channels))


def _channel_names(channels: list[SubmissionChannel]) -> str:
    """ "Nộp trực tuyến, qua dịch vụ bưu chính"."""
    return "Nộp " + ", ".join(dict.fromkeys(CHANNEL_NAMES[c.kind].removeprefix("Nộp ") for c in channels))


def _only_some(channels: list[SubmissionChannel], procedure: Procedure) -> str:
    """ " (khi nộp trực tuyến)" when a statement holds for some channels only, else ""."""
    some = {c.kind for c in channels} < {c.kind for c in procedure.channels}
    return f" (khi nộp {_kinds(channels)})" if some else ""


def _by_channel(summaries: list[tuple[SubmissionChannel, str]]) -> str:
    """One summary when the channels agree, else "trực tuyến: …; trực tiếp, bưu chính: …"."""
    by_summary: dict[str, list[SubmissionChannel]] = {}
    for channel, summary in summaries:
        by_summary.setdefault(summary, []).append(channel)
    if len(by_summary) == 1:
        return shorten(_capital(summaries[0][1]), SUMMARY_CHARS)
    joined = "; ".join(f"{_kinds(channels)}: {summary}" for summary, channels in by_summary.items())
    return shorten(_capital(joined), SUMMARY_CHARS)


def _grouped(
    rendered: Sequence[tuple[SubmissionChannel, tuple[str, ...]]],
) -> list[tuple[list[SubmissionChannel], tuple[str, ...]]]:
    """Channels that render the same, together, in the record's order."""
    groups: dict[tuple[str, ...], list[SubmissionChannel]] = {}
    for channel, lines in rendered:
        groups.setdefault(lines, []).append(channel)
    return [(channels, lines) for lines, channels in groups.items()]


# -------------------------------------------------------------------------------------------- fee


def channel_fee_status(channel: SubmissionChannel) -> FeeStatus:
    if any(item.amount is not None for item in channel.fee_items):
        return FeeStatus.AMOUNT
    if channel.fee_vnd == 0:
        return FeeStatus.FREE
    if channel.fee_items and not CELL_AMOUNT.match(channel.fee):
        return FeeStatus.NOTE
    if channel.fee.strip():
        return FeeStatus.RAW
    return FeeStatus.NONE


def fee_status(procedure: Procedure) -> FeeStatus:
    """The record's: RAW if any channel fell back to raw text, else AMOUNT, FREE, NOTE, NONE."""
    statuses = {channel_fee_status(c) for c in procedure.channels} - {FeeStatus.NONE}
    for status in (FeeStatus.RAW, FeeStatus.AMOUNT, FeeStatus.NOTE, FeeStatus.FREE):
        if status in statuses:
            return status
    return FeeStatus.NONE


_ENDED = " (đã hết thời hạn áp dụng)"
_REDUCTION = re.compile(r"\b(?:miễn|giảm|bằng \d+ ?%|không thu)", re.IGNORECASE)


def _period_note(item: FeeItem, today: date) -> str:
    if item.valid_until is not None and item.valid_until < today:
        return _ENDED
    if item.valid_from is not None and item.valid_from > today:
        return f" (áp dụng từ {_date(item.valid_from)})"
    return ""


def _raw_cell(channel: SubmissionChannel) -> str:
    """A fee cell whose amount was not taken ("20 VNĐ": under 1.000 đồng, most likely in thousands)."""
    match = CELL_AMOUNT.match(channel.fee)
    return match.group() if match else ""


def _states_amount(procedure: Procedure) -> bool:
    """Some channel states an amount, read or (a cell such as "25 VNĐ") left as published."""
    return any(channel_fee_status(c) == FeeStatus.AMOUNT or _raw_cell(c) for c in procedure.channels)


def _channel_fee_lines(
    channel: SubmissionChannel, record_states_amount: bool, today: date
) -> tuple[str, ...]:
    status = channel_fee_status(channel)
    if status == FeeStatus.FREE:
        if record_states_amount:
            # Another channel states an amount: "free" is only what this channel's cell says.
            return (f"cột phí ghi “{FREE}” (các hình thức nộp khác có mức thu)",)
        if not channel.fee_items and not is_plain_free(channel.fee):
            return (shorten(channel.fee),)  # our own format says more: "Không thu lệ phí khi cấp lần đầu"
        return (FREE, *(shorten(i.text) for i in channel.fee_items if not is_plain_free(i.text)))
    if status == FeeStatus.RAW:
        if cell := _raw_cell(channel):
            return (f"cột phí ghi “{cell}” — con số này có vẻ ghi thiếu, bạn nên hỏi lại cơ quan tiếp nhận",)
        return (shorten(channel.fee),)
    lines: list[str] = []
    for item in channel.fee_items:
        line = shorten(item.text.rstrip(".")) + _period_note(item, today)
        if line not in lines:
            lines.append(line)
    if len(lines) > MAX_FEE_LINES:
        lines = [*lines[:MAX_FEE_LINES], "… (xem đầy đủ trên Cổng Dịch vụ công quốc gia)"]
    if status == FeeStatus.NOTE and (cell := _raw_cell(channel)):
        lines.append(f"cột phí ghi “{cell}” — con số này có vẻ ghi thiếu, bạn nên hỏi lại cơ quan tiếp nhận")
    return tuple(lines)


def fee_lines(procedure: Procedure, *, today: date | None = None) -> list[str]:
    """ "Phí, lệ phí:" and one "• " line per clause, grouped by channel when the channels differ.

    ``today`` (default: the system date) marks dated rates that have ended or not yet begun.
    """
    today = today or date.today()
    stating = _states_amount(procedure)
    rendered = [
        (c, _channel_fee_lines(c, stating, today))
        for c in procedure.channels
        if channel_fee_status(c) != FeeStatus.NONE
    ]
    if not rendered:
        return []
    return _fee_groups(procedure, rendered)


def _fee_groups(
    procedure: Procedure, rendered: Sequence[tuple[SubmissionChannel, tuple[str, ...]]]
) -> list[str]:
    """ "Phí, lệ phí:" and each channel's lines, grouped by channel when the channels differ."""
    groups = _grouped(rendered)
    if len(groups) == 1:
        channels, lines = groups[0]
        return [f"Phí, lệ phí{_only_some(channels, procedure)}:", *(f"• {_capital(line)}" for line in lines)]
    out = ["Phí, lệ phí:"]
    for channels, lines in groups:
        if len(lines) == 1 and len(lines[0]) <= LINE_CHARS // 2:
            out.append(f"• {_channel_names(channels)}: {lines[0]}")
        else:
            out.append(f"• {_channel_names(channels)}:")
            out.extend(f"  – {_capital(line)}" for line in lines)
    return out


def _split_fee_lines(
    channel: SubmissionChannel, record_states_amount: bool, today: date
) -> tuple[tuple[str, ...], list[str]]:
    """A channel's fee lines as (what it costs, the notes about it): the lines stating an amount, or
    the first line when none does."""
    lines = _channel_fee_lines(channel, record_states_amount, today)
    if channel_fee_status(channel) != FeeStatus.AMOUNT:
        return lines[:1], list(lines[1:])
    stated = {shorten(i.text.rstrip(".")) for i in channel.fee_items if i.amount is not None}
    heads = tuple(line for line in lines if line.split(" (", 1)[0] in stated or line in stated)
    return heads or lines[:1], [line for line in lines if line not in heads]


def short_fee_lines(procedure: Procedure, *, today: date | None = None) -> tuple[list[str], bool]:
    """The fee as a first answer: what each way of submitting costs, then the first note of the
    record; and whether the full answer (``fee_lines``) says more."""
    today = today or date.today()
    stating = _states_amount(procedure)
    split = [
        (c, _split_fee_lines(c, stating, today))
        for c in procedure.channels
        if channel_fee_status(c) != FeeStatus.NONE
    ]
    if not split:
        return [], False
    # A reduction or exemption in force says most beside the amounts; an ended one is history.
    notes = sorted(
        dict.fromkeys(note for _, (_, rest) in split for note in rest if not note.endswith(_ENDED)),
        key=lambda note: not _REDUCTION.search(note),
    )
    hidden = sum(len(rest) for _, (_, rest) in split) > len(notes[:SHORT_FEE_NOTES])
    out = _fee_groups(procedure, [(c, heads) for c, (heads, _) in split])
    out.extend(f"• {_capital(note)}" for note in notes[:SHORT_FEE_NOTES])
    return out, hidden


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _amount_text(item: FeeItem) -> str:
    unit = "USD" if item.currency == Currency.USD else "đồng"
    amount = format_vnd(item.amount or 0)
    return f"{amount} {unit}/{item.per}" if item.per else f"{amount} {unit}"


def _in_force(item: FeeItem, today: date) -> bool:
    started = item.valid_from is None or item.valid_from <= today
    return started and (item.valid_until is None or item.valid_until >= today)


def _amounts_summary(items: list[FeeItem], today: date) -> str:
    """The amounts in force, in the record's order: "135.000 đồng/lần", "1.000.000 đồng · 500.000 đồng
    đến hết 31/12/2026". Several amounts may be alternatives or add up; the record does not say which,
    so they are listed, not summed or ranged."""
    stated = [i for i in items if i.amount is not None]
    current = [i for i in stated if _in_force(i, today)] or stated
    amounts = [
        _amount_text(i) + (f" đến hết {_date(i.valid_until)}" if i.valid_until is not None else "")
        for i in current
    ]
    summary = " · ".join(dict.fromkeys(amounts))
    # What the amounts alone would hide: a dated reduction or exemption in force, or exemptions.
    if any(i.amount is None and i.valid_until is not None and _in_force(i, today) for i in items):
        summary += " (đang có mức giảm/miễn)"
    elif any(i.exemption for i in items):
        summary += " (có trường hợp được miễn)"
    return summary


def _channel_fee_summary(channel: SubmissionChannel, record_states_amount: bool, today: date) -> str:
    status = channel_fee_status(channel)
    if status == FeeStatus.AMOUNT:
        return _amounts_summary(channel.fee_items, today)
    if status in (FeeStatus.RAW, FeeStatus.NOTE) and (cell := _raw_cell(channel)):
        return f"chưa rõ (cột phí ghi “{cell}”)"
    lines = _channel_fee_lines(channel, record_states_amount, today)
    return lines[0] if lines else ""


def fee_summary(procedure: Procedure, *, today: date | None = None) -> str:
    """One line for an overview card (≤ 90 characters): the amounts in force, or what the record says."""
    today = today or date.today()
    stating = _states_amount(procedure)
    summaries = [
        (c, _channel_fee_summary(c, stating, today))
        for c in procedure.channels
        if channel_fee_status(c) != FeeStatus.NONE
    ]
    summaries = [
        (c, s) for c, s in summaries if s and not (stating and channel_fee_status(c) == FeeStatus.FREE)
    ]
    if not summaries:
        return "Hồ sơ thủ tục chưa ghi phí, lệ phí"
    return _by_channel(summaries)


# ------------------------------------------------------------------------------------------- time


def channel_time_status(channel: SubmissionChannel) -> TimeStatus:
    if channel.time_value is not None:
        return TimeStatus.UNIT if channel.time_unit is not None else TimeStatus.NO_UNIT
    if channel.processing_time.strip():
        return TimeStatus.TEXT
    return TimeStatus.NONE


def time_status(procedure: Procedure) -> TimeStatus:
    """The record's: NO_UNIT if any channel gives a bare number, else TEXT, UNIT, NONE."""
    statuses = {channel_time_status(c) for c in procedure.channels}
    for status in (TimeStatus.NO_UNIT, TimeStatus.TEXT, TimeStatus.UNIT):
        if status in statuses:
            return status
    return TimeStatus.NONE


def _time_headline(channel: SubmissionChannel) -> str:
    status = channel_time_status(channel)
    if status == TimeStatus.UNIT:
        assert channel.time_value is not None and channel.time_unit is not None
        return f"{_number(channel.time_value)} {channel.time_unit.value}"
    if status == TimeStatus.NO_UNIT:
        assert channel.time_value is not None
        return f"hồ sơ ghi thời hạn: {_number(channel.time_value)} (không ghi đơn vị)"
    return shorten(channel.processing_time)


# What a time note may say besides its number and unit and still say nothing new.
_TIME_FILLER = re.compile(
    r"thời hạn giải quyết|thời gian giải quyết|không quá|trong thời hạn|tối đa|là|trong"
)


def _restates(note: str, channels: list[SubmissionChannel]) -> bool:
    """ "Thời hạn giải quyết: Không quá 07 ngày làm việc." beside "7 ngày làm việc": the same time
    again. A note that says more ("kể từ ngày nhận đủ hồ sơ hợp lệ") is kept."""
    numbers = {float(n) for n in re.findall(r"\d+(?:[.,]\d+)?", note.replace(",", "."))}
    for c in channels:
        if channel_time_status(c) != TimeStatus.UNIT or numbers != {c.time_value} or c.time_unit is None:
            continue
        rest = _TIME_FILLER.sub(" ", re.sub(r"\d+", " ", note.lower()).replace(c.time_unit.value, " "))
        if not re.search(r"\w", rest):
            return True
    return False


def time_lines(procedure: Procedure) -> list[str]:
    """ "Thời hạn giải quyết:", the time per channel (one line when all agree), then its conditions."""
    rendered = [
        (c, (_time_headline(c),)) for c in procedure.channels if channel_time_status(c) != TimeStatus.NONE
    ]
    notes = list(
        dict.fromkeys(
            shorten(n)
            for c in procedure.channels
            for n in c.time_notes
            if not _restates(n, procedure.channels)
        )
    )[:MAX_TIME_NOTES]
    if not rendered and not notes:
        return []
    out = ["Thời hạn giải quyết:"]
    groups = _grouped(rendered)
    if len(groups) == 1:
        channels, (headline,) = groups[0]
        out.append(f"• {_capital(headline)}{_only_some(channels, procedure)}")
    else:
        out.extend(f"• {_channel_names(channels)}: {line}" for channels, (line,) in groups)
    if not rendered:
        out.append("• Hồ sơ thủ tục không ghi thời hạn ở cột thời gian; phần mô tả ghi:")
    out.extend(f"• {_capital(note)}" for note in notes)
    return out


def time_summary(procedure: Procedure) -> str:
    """One line for an overview card (≤ 90 characters)."""
    headlines = [
        (c, _time_headline(c)) for c in procedure.channels if channel_time_status(c) != TimeStatus.NONE
    ]
    if not headlines:
        if any(c.time_notes for c in procedure.channels):
            return "Xem chi tiết (hồ sơ ghi thời hạn trong phần mô tả)"
        return "Hồ sơ thủ tục chưa ghi thời hạn giải quyết"
    return _by_channel([(c, _capital(h)) for c, h in headlines])


# ------------------------------------------------------------------------------------------ where


def where_source(procedure: Procedure) -> WhereSource:
    if (
        procedure.agencies
        or procedure.submission_address
        or procedure.competent_authority
        or procedure.authorized_agency
    ):
        return WhereSource.AGENCY
    if procedure.levels:
        return WhereSource.LEVEL
    return WhereSource.NONE


def _level_lines(procedure: Procedure, levels: list[Level]) -> list[str]:
    lines = []
    for level in levels:
        desk = _LEVEL_DESKS.get(level)
        if desk is not None:
            lines.append(f"Thủ tục {_LEVEL_NAMES[level]}: nộp tại {desk}.")
        elif len(procedure.levels) == 1:
            lines.append("Thủ tục do cơ quan khác thực hiện; hồ sơ thủ tục không ghi cụ thể nơi tiếp nhận.")
    return lines


def where_lines(procedure: Procedure) -> list[str]:
    """ "Nơi nộp hồ sơ:" from the agency fields, or from the level said as such, then the ways to submit."""
    lines: list[str] = []
    agencies = procedure.agencies
    if agencies:
        lines.append(shorten("Cơ quan thực hiện: " + "; ".join(a.rstrip(".") for a in agencies) + "."))
    competent = procedure.competent_authority
    if competent and competent not in agencies and competent != ", ".join(agencies):
        lines.append(shorten(f"Cơ quan có thẩm quyền: {competent.rstrip('.')}."))
    if procedure.authorized_agency:
        lines.append(shorten(f"Cơ quan được ủy quyền: {procedure.authorized_agency.rstrip('.')}."))
    if procedure.submission_address:
        lines.append(shorten(f"Địa chỉ tiếp nhận: {procedure.submission_address.rstrip(':')}"))
    source = where_source(procedure)
    if source == WhereSource.LEVEL:
        levels = [lv for lv in procedure.levels if lv in _LEVEL_DESKS] or procedure.levels
        lines.append("Hồ sơ thủ tục không ghi cơ quan tiếp nhận; theo cấp thực hiện:")
        lines.extend(_level_lines(procedure, levels))
    elif not procedure.submission_address:
        # The People's Committee named as the agency: its desk is the level's public service centre.
        named = " ".join([*agencies, competent])
        if _PEOPLES_COMMITTEE.search(named):
            levels = [lv for lv in procedure.levels if lv in (Level.COMMUNE, Level.PROVINCE)]
            lines.extend(_level_lines(procedure, levels))
    if not lines:
        return []
    kinds = list(dict.fromkeys(c.kind for c in procedure.channels))
    if kinds:
        ways = ", ".join({ChannelKind.POSTAL: "qua dịch vụ bưu chính"}.get(k, k.value) for k in kinds)
        lines.append(f"Hình thức nộp: {ways}.")
    return ["Nơi nộp hồ sơ:", *(f"• {line}" for line in lines)]


def where_summary(procedure: Procedure) -> str:
    """One line for an overview card (≤ 90 characters)."""
    if procedure.submission_address:
        return shorten(procedure.submission_address, SUMMARY_CHARS)
    named = procedure.agencies or [
        a for a in (procedure.competent_authority, procedure.authorized_agency) if a
    ]
    if named:
        return shorten("; ".join(named).rstrip("."), SUMMARY_CHARS)
    levels = [lv for lv in procedure.levels if lv in _LEVEL_DESKS]
    if len(levels) == 1:
        short = {
            Level.COMMUNE: "Trung tâm Phục vụ hành chính công cấp xã",
            Level.PROVINCE: "Trung tâm Phục vụ hành chính công cấp tỉnh",
            Level.MINISTRY: "Bộ phận Một cửa của bộ có thẩm quyền",
        }[levels[0]]
        return f"{short} (thủ tục {_LEVEL_NAMES[levels[0]]})"
    if levels:
        return "Theo cấp giải quyết: " + ", ".join(_LEVEL_NAMES[lv] for lv in levels)
    return "Hồ sơ thủ tục chưa ghi nơi tiếp nhận"
