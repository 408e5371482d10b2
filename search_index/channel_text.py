"""Read what a submission channel's fee and description texts say, clause by clause.

The portal's fee cell is an amount ("135 VNĐ", "4,000,000 Việt Nam Đồng"), "Miễn phí" or nothing,
followed by free text in parentheses; the description column often carries more amounts, dated
reductions and the time conditions. Every clause keeps its published words; what an answer needs
(amount, per what, which channel, which period, exemption) is read into a FeeItem beside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from search_index.catalogue import ChannelKind, Currency, FeeItem

__all__ = [
    "CELL_AMOUNT",
    "clean_text",
    "fee_clauses",
    "format_vnd",
    "is_plain_free",
    "time_notes",
    "vnd_amounts",
]

# The portal's fee cell: "135 VNĐ", "4,000,000 Việt Nam Đồng", "100 USD" (amount, currency).
CELL_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|Đồng|USD)"
CELL_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"
CELL_AMOUNT = re.compile(rf"({CELL_NUMBER})\s*({CELL_CURRENCY})")
# In free text: "135.000 đồng", "1.200.000đ/thẻ", "20.000 vnđ", "4,000,000 Việt Nam Đồng", "200 USD/lần".
_NUMBER = r"(?<![\d.,/])(\d{1,3}(?:[.,]\d{3})+|\d+)(?![\d])"
_VND_WORD = r"(?:Việt Nam Đồng|Việt Nam đồng|đồng|Đồng|ĐỒNG|VNĐ|vnđ|VND|vnd|đ)(?!\w)"
_AMOUNT = re.compile(rf"{_NUMBER}\s*(?:(?P<vnd>{_VND_WORD})|(?P<usd>USD)(?!\w))")
# "Phí: 1,700,000 Sát hạch…": a labelled amount with thousands separators but no currency word.
_LABELLED_AMOUNT = re.compile(r"(?:[Pp]hí|[Mm]ức thu)\s*:\s*(\d{1,3}(?:[.,]\d{3})+)(?![\d.,])")
_PER = re.compile(r"\s*/\s*(?:0?1\s+)?([^\s.,;:()]+(?:\s+[^\s.,;:()]+){0,2})")
_PER_STOP = {"theo", "kể", "từ", "đối", "khi", "và", "cho", "tại", "áp", "trong", "nếu", "hoặc", "đến"}
_DATE = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_PERIOD = re.compile(
    rf"(?:(?:kể\s+)?từ\s+(?:ngày\s+)?{_DATE}\s*,?\s*)?đến\s+(?:hết\s+)?(?:ngày\s+)?{_DATE}", re.IGNORECASE
)
_SINCE = re.compile(rf"(?:kể\s+)?từ\s+(?:ngày\s+)?{_DATE}", re.IGNORECASE)
_CITATION = re.compile(r"\((?:Thông tư|Nghị định|Nghị quyết|Quyết định|Luật|theo)[^()]*\)", re.IGNORECASE)
_EXEMPTION = re.compile(r"\bmiễn\b|không thu", re.IGNORECASE)
_CHANNEL_WORDS = {
    ChannelKind.ONLINE: re.compile(r"trực tuy[ếể]n|dịch vụ công trực tuyến", re.IGNORECASE),
    ChannelKind.IN_PERSON: re.compile(r"trực tiếp", re.IGNORECASE),
    ChannelKind.POSTAL: re.compile(r"bưu chính", re.IGNORECASE),
}
# The record says free in so many words: "Không", "Không có", "Không quy định.", "Miễn lệ phí (Thông
# tư …)". An exemption for some ("Miễn lệ phí cho người thuộc hộ nghèo…") says others pay.
_PLAIN_FREE = re.compile(
    r"^(?:(?:không|chưa)(?: có| quy định| thu(?: lệ)? phí| thu)?|miễn(?: lệ)? phí(?:\s*\(.*\))?)[\s.;:]*$",
    re.IGNORECASE,
)
# Clause boundaries outside parentheses: a line break, a bullet, "a)"/"(i)" enumerators, or "." / ";"
# before a capital ("…cách mạng; người thuộc hộ nghèo" is one clause).
_BOUNDARY = re.compile(
    r"\s*\n\s*(?:[-–+*•]+\s*)?"  # a line break, with the bullet after it
    r"|(?:^|\s)[-–+*•]+\s+(?!\()"  # a bullet inside a line (not "150.000 đồng + (số tấn…)")
    r"|(?:^|\s)\(?(?:[a-zđ]|[ivx]{1,4}|\d{1,2})\)\s+"  # "a) ", "(i) ", "1) "
    r"|(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ*+-])"  # a sentence end before a capital or a bullet
)
# A time: "03 ngày làm việc", "15 ngày kể từ…", "ngay trong ngày"; not a date ("ngày 30 tháng 6").
_TIME = re.compile(
    r"\d+\)?\s*(?:ngày(?!\s*\d)|giờ|tháng(?!\s*\d)|tuần|phút)(?!\w)|kể từ ngày nhận|ngay trong ngày",
    re.IGNORECASE,
)
_FEE_WORD = re.compile(r"\bphí\b|mức thu", re.IGNORECASE)


def clean_text(text: str) -> str:
    return " ".join(text.split())


def format_vnd(amount: int) -> str:
    """135000 → "135.000" (Vietnamese thousands separator)."""
    return f"{amount:,}".replace(",", ".")


def is_plain_free(text: str) -> bool:
    """The clause only says there is nothing to pay ("Không", "Không quy định", "Miễn lệ phí")."""
    return bool(_PLAIN_FREE.match(_unwrap(clean_text(text).lstrip("-–+*• "))))


def vnd_amounts(text: str) -> list[int]:
    """Every amount in đồng the text states (with a currency word)."""
    return [_number(m.group(1)) for m in _AMOUNT.finditer(text) if m.group("vnd")]


def _number(digits: str) -> int:
    return int(re.sub(r"[.,]", "", digits))


def _date(day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _split(text: str) -> Iterator[str]:
    """Clauses of ``text``, split at boundaries outside parentheses."""
    depth, start, position = 0, 0, 0
    cuts: list[tuple[int, int]] = []
    for match in _BOUNDARY.finditer(text):
        for ch in text[position : match.start()]:
            depth = max(0, depth + {"(": 1, ")": -1}.get(ch, 0))
        position = match.start()
        if depth == 0:
            cuts.append((match.start(), match.end()))
    for cut_start, cut_end in cuts:
        yield text[start:cut_start]
        start = cut_end
    yield text[start:]


def _unwrap(text: str) -> str:
    """ "((áp dụng …).)" → "áp dụng …": the portal often wraps the details twice."""
    text = text.strip()
    while text.startswith("(") and (inner := text.rstrip(" .;")).endswith(")") and _balanced(inner[1:-1]):
        text = inner[1:-1].strip()
    return text


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def _clauses(text: str) -> list[str]:
    """Clauses worth a line: headings ending in ":" are carried into the clauses under them."""
    clauses: list[str] = []
    heading = ""
    for raw in _split(_unwrap(text)):
        clause = _unwrap(clean_text(raw).strip(" ;,").lstrip("-–+*•. "))
        if not clause or not re.search(r"\w\w", clause):  # "a", "(1", "-": enumerator debris
            continue
        if clause.endswith(":") and not _AMOUNT.search(clause):
            heading = clause
            continue
        clauses.append(f"{heading} {clause}" if heading else clause)
    if heading and not clauses:
        clauses.append(heading.rstrip(":"))
    return clauses


def _per(text: str, end: int) -> str:
    match = _PER.match(text, end)
    if not match:
        return ""
    words: list[str] = []
    for word in match.group(1).split():
        if word.lower() in _PER_STOP:
            break
        words.append(word)
    return " ".join(words)


def _label(clause: str, start: int) -> str:
    before = clause[:start].rstrip()
    if not before.endswith(":"):
        return ""
    label = before[:-1].strip(" -–+*•")
    return label.rsplit(": ", 1)[-1].strip() if label else ""


def _channel(clause: str) -> ChannelKind | None:
    named = [kind for kind, words in _CHANNEL_WORDS.items() if words.search(clause)]
    return named[0] if len(named) == 1 else None


def _items(clause: str) -> list[FeeItem]:
    amounts: list[tuple[int, int, int, Currency, str]] = []  # start, end, amount, currency, per
    for match in _AMOUNT.finditer(clause):
        currency = Currency.USD if match.group("usd") else Currency.VND
        amounts.append(
            (match.start(), match.end(), _number(match.group(1)), currency, _per(clause, match.end()))
        )
    if not amounts:
        for match in _LABELLED_AMOUNT.finditer(clause):
            amounts.append((match.start(1), match.end(), _number(match.group(1)), Currency.VND, ""))
    common = {"text": clause, "channel": _channel(clause)}
    periods = [
        (m.start(), _date(*m.group(1, 2, 3)) if m.group(1) else None, _date(*m.group(4, 5, 6)))
        for m in _PERIOD.finditer(clause)
    ]
    if not periods:
        periods = [(m.start(), _date(*m.group(1, 2, 3)), None) for m in _SINCE.finditer(clause)]
    if not amounts:
        valid_from, valid_until = (periods[0][1], periods[0][2]) if periods else (None, None)
        # Not in a cited title: "(Thông tư … quy định mức thu, miễn một số khoản phí…)".
        exemption = bool(_EXEMPTION.search(_CITATION.sub(" ", clause)))
        return [FeeItem(**common, valid_from=valid_from, valid_until=valid_until, exemption=exemption)]
    # A period belongs to the amount nearest to it ("Phí: 800.000 đồng/hồ sơ (áp dụng mức phí
    # 400.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 …)": the 400.000).
    dated: dict[int, tuple[date | None, date | None]] = {}
    for position, valid_from, valid_until in periods:
        nearest = min(
            range(len(amounts)),
            key=lambda i: min(abs(position - amounts[i][0]), abs(position - amounts[i][1])),
        )
        dated.setdefault(nearest, (valid_from, valid_until))
    items = []
    for index, (start, _end, amount, currency, per) in enumerate(amounts):
        valid_from, valid_until = dated.get(index, (None, None))
        items.append(
            FeeItem(
                **common,
                amount=amount,
                currency=currency,
                per=per,
                label=_label(clause, start),
                valid_from=valid_from,
                valid_until=valid_until,
            )
        )
    return items


def fee_clauses(text: str, *, amounts_only: bool = False) -> list[FeeItem]:
    """FeeItems of every clause of ``text`` (one per amount; one for a clause without amount).

    ``amounts_only`` keeps only the clauses that state an amount (for a description, whose other
    clauses are about something else).
    """
    items: list[FeeItem] = []
    for clause in _clauses(text):
        for item in _items(clause):
            if item.amount is not None or not amounts_only:
                items.append(item)
    return items


def time_notes(description: str) -> list[str]:
    """The description's clauses about the processing time, as published, without fee clauses."""
    notes: list[str] = []
    for clause in _clauses(description):
        if _TIME.search(clause) and not _FEE_WORD.search(clause) and clause not in notes:
            notes.append(clause)
    return notes
