"""Parse-quality report of a catalogue: how well fees, times and places of submission were read.

For each aspect it counts the records whose statement rests on structure, on the published text as
is, or on nothing, shows a few examples of each (code, published text, statement), and checks the
one thing that must never happen: a record whose fee texts state an amount in đồng, answered free.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar

from search_index import facts
from search_index.catalogue import Procedure
from search_index.catalogue_files import load_catalogue

__all__ = ["AuditReport", "audit", "audit_file", "says_free", "states_vnd_amount"]

K = TypeVar("K", bound=StrEnum)
EXAMPLES = 3
EXAMPLE_CHARS = 150
# Deliberately simpler than the importer's reading: any number followed by a đồng currency word.
_VND_AMOUNT = re.compile(r"\d[\d.,]*\s*(?:việt nam đồng|đồng|vnđ|vnd|đ)(?!\w)", re.IGNORECASE)

_FEE_NAMES = {
    facts.FeeStatus.AMOUNT: "nêu số tiền",
    facts.FeeStatus.FREE: "miễn phí",
    facts.FeeStatus.NOTE: "chỉ có quy định, không nêu số tiền",
    facts.FeeStatus.RAW: "giữ nguyên văn bản gốc",
    facts.FeeStatus.NONE: "không có thông tin",
}
_TIME_NAMES = {
    facts.TimeStatus.UNIT: "có đơn vị",
    facts.TimeStatus.NO_UNIT: "chỉ có số, không ghi đơn vị",
    facts.TimeStatus.TEXT: "ghi bằng chữ",
    facts.TimeStatus.NONE: "không có thông tin",
}
_WHERE_NAMES = {
    facts.WhereSource.AGENCY: "từ trường cơ quan/địa chỉ",
    facts.WhereSource.LEVEL: "suy từ cấp thực hiện",
    facts.WhereSource.NONE: "không có thông tin",
}


def states_vnd_amount(procedure: Procedure) -> bool:
    """Some channel's published fee text or description states an amount in đồng."""
    return any(_VND_AMOUNT.search(f"{c.fee} {c.description}") for c in procedure.channels)


def says_free(procedure: Procedure) -> bool:
    """The fee statement (lines or overview summary) tells the citizen it is free."""
    lines = facts.fee_lines(procedure)
    return any(line.endswith(facts.FREE) for line in lines) or facts.fee_summary(procedure).startswith(
        facts.FREE
    )


@dataclass
class AuditReport:
    path: Path
    procedures: int = 0
    fee: dict[facts.FeeStatus, list[Procedure]] = field(default_factory=dict)
    time: dict[facts.TimeStatus, list[Procedure]] = field(default_factory=dict)
    where: dict[facts.WhereSource, list[Procedure]] = field(default_factory=dict)
    free_with_amount: list[Procedure] = field(default_factory=list)

    def summary_line(self) -> str:
        """The machine-readable last line."""
        F, T, W = facts.FeeStatus, facts.TimeStatus, facts.WhereSource
        return (
            f"catalogue_audit n={self.procedures}"
            f" fee_structured={_count(self.fee, F.AMOUNT, F.FREE, F.NOTE)} fee_raw={_count(self.fee, F.RAW)}"
            f" fee_none={_count(self.fee, F.NONE)}"
            f" time_with_unit={_count(self.time, T.UNIT)} time_no_unit={_count(self.time, T.NO_UNIT)}"
            f" time_text={_count(self.time, T.TEXT)} time_none={_count(self.time, T.NONE)}"
            f" where_structured={_count(self.where, W.AGENCY)} where_level={_count(self.where, W.LEVEL)}"
            f" where_none={_count(self.where, W.NONE)}"
            f" free_with_amount={len(self.free_with_amount)}"
        )


def _count(table: Mapping[K, list[Procedure]], *keys: K) -> int:
    return sum(len(table.get(key, [])) for key in keys)


def audit(procedures: Sequence[Procedure], path: Path) -> AuditReport:
    report = AuditReport(path=path, procedures=len(procedures))
    for procedure in procedures:
        report.fee.setdefault(facts.fee_status(procedure), []).append(procedure)
        report.time.setdefault(facts.time_status(procedure), []).append(procedure)
        report.where.setdefault(facts.where_source(procedure), []).append(procedure)
        if states_vnd_amount(procedure) and says_free(procedure):
            report.free_with_amount.append(procedure)
    return report


def audit_file(path: Path) -> tuple[AuditReport, int]:
    """The report of a catalogue file, and how many of its records could not be read at all."""
    loaded = load_catalogue(path)
    return audit(loaded.procedures, path), len(loaded.skipped)


def _spread(items: list[Procedure], n: int = EXAMPLES) -> list[Procedure]:
    """``n`` examples spread over the list (the first ones are often alike)."""
    if len(items) <= n:
        return items
    step = len(items) / n
    return [items[int(i * step)] for i in range(n)]


def _published_fee(procedure: Procedure) -> str:
    channel = next((c for c in procedure.channels if c.fee or c.description), None)
    return f"{channel.fee} | {channel.description}" if channel else ""


def _published_time(procedure: Procedure) -> str:
    return " | ".join(dict.fromkeys(c.processing_time or "∅" for c in procedure.channels))


def _published_where(procedure: Procedure) -> str:
    fields = [
        ("cơ quan thực hiện", "; ".join(procedure.agencies)),
        ("địa chỉ", procedure.submission_address),
        ("thẩm quyền", procedure.competent_authority),
        ("được ủy quyền", procedure.authorized_agency),
        ("cấp", ", ".join(level.value for level in procedure.levels)),
    ]
    return "; ".join(f"{name}: {value}" for name, value in fields if value)


def _section(
    title: str,
    table: Mapping[K, list[Procedure]],
    names: Mapping[K, str],
    published: Callable[[Procedure], str],
    statement: Callable[[Procedure], list[str]],
) -> list[str]:
    counts = " · ".join(f"{name} {len(table.get(key, []))}" for key, name in names.items())
    lines = [f"{title}: {counts}"]
    for key, name in names.items():
        for procedure in _spread(table.get(key, [])):
            said = " / ".join(line.removeprefix("• ") for line in statement(procedure)[1:3]) or "∅"
            lines.append(f"  [{name}] {procedure.code}")
            lines.append(f"      gốc:     {facts.shorten(published(procedure), EXAMPLE_CHARS) or '∅'}")
            lines.append(f"      trả lời: {facts.shorten(said, EXAMPLE_CHARS)}")
    return lines


def report_lines(report: AuditReport, skipped: int = 0) -> list[str]:
    lines = [
        f"Chất lượng đọc danh mục {report.path}: {report.procedures} thủ tục (bỏ qua {skipped} bản ghi hỏng)"
    ]
    lines += _section("Phí, lệ phí", report.fee, _FEE_NAMES, _published_fee, facts.fee_lines)
    lines += _section("Thời hạn", report.time, _TIME_NAMES, _published_time, facts.time_lines)
    lines += _section("Nơi nộp", report.where, _WHERE_NAMES, _published_where, facts.where_lines)
    lines.append(
        "Kiểm tra (phải bằng 0): hồ sơ nêu số tiền bằng đồng mà câu trả lời nói miễn phí: "
        f"{len(report.free_with_amount)}"
    )
    lines += [
        f"  {p.code}: {facts.shorten(_published_fee(p), EXAMPLE_CHARS)}" for p in report.free_with_amount[:10]
    ]
    lines.append(report.summary_line())
    return lines
