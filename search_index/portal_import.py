"""Turn one National Public Service Portal record (../shared/data/dvcqg format) into a Procedure.

The portal's tables reach us flattened to text with the header cells glued on, e.g.
``Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến5 Ngày làm việcMiễn phí…``: this module
re-splits them into channels, documents and legal documents, removes the page furniture, and
normalises every string (NFC, one tone placement, single spaces).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from search_index.catalogue import (
    ChannelKind,
    Currency,
    FeeItem,
    LegalDocument,
    Level,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    SubmissionChannel,
    TimeUnit,
)
from search_index.channel_text import (
    CELL_AMOUNT,
    CELL_CURRENCY,
    CELL_NUMBER,
    fee_clauses,
    format_vnd,
    is_plain_free,
    time_notes,
)
from vntext.normalize import nfc, unify_tone_marks

__all__ = ["InvalidRecord", "parse_portal_record"]

NO_INFO = "Không có thông tin"
_LOWER = "a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ"


class InvalidRecord(ValueError):
    """A record that cannot become a Procedure; ``reason`` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def clean(text: str) -> str:
    """NFC, canonical tone placement, single spaces; the portal's "no information" becomes empty."""
    text = " ".join(unify_tone_marks(text).split())
    return "" if text == NO_INFO else text


# ---------------------------------------------------------------------------------------- channels

_CHANNEL_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_CHANNEL_KINDS = {
    "Trực tiếp": ChannelKind.IN_PERSON,
    "Trực tuyến": ChannelKind.ONLINE,
    "Dịch vụ bưu chính": ChannelKind.POSTAL,
}
# A channel cell is glued to its time cell, which starts with a digit or a capital ("5 Ngày…",
# "Không có thông tin", "Hệ thống … phản hồi tự động"); the same words inside a description
# ("Trực tuyến: nộp hồ sơ qua…") are followed by a space or punctuation.
_CHANNEL_NAME = re.compile(r"Trực tiếp|Trực tuyến|Dịch vụ bưu chính")
_TIME_WITH_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ|Tháng|Năm|Tuần|Phút)")
# Without a unit the time cell is a bare number glued to the fee amount ("Trực tuyến120,000 VNĐ"
# is 1 day and 20,000 đồng): amounts ≥ 1,000 always carry thousands separators, so the shortest
# time that leaves a well-formed amount is the right split.
_BARE_TIME_THEN_AMOUNT = re.compile(rf"(\d+?)(\d{{1,3}}(?:,\d{{3}})*)\s*({CELL_CURRENCY})")
_BARE_TIME_THEN_WORDS = re.compile(r"(\d+(?:[.,]\d+)?)(?=Miễn phí|Không)")
_FEE_START = re.compile(rf"Miễn phí|{NO_INFO}|(?:{CELL_NUMBER})\s*{CELL_CURRENCY}")


def _closing_paren(text: str) -> int:
    """Index just after the parenthesis group that opens ``text`` (or its end if unbalanced)."""
    depth = 0
    for i in range(len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _vnd(amount: str) -> int:
    return int(re.sub(r"[.,]", "", amount))


_UNITS = {unit.value: unit for unit in TimeUnit}
# Details that only complete the cell: "(/hồ sơ)", "(đồng/lần)" say what it is per; a few words
# without digits ("(Phí thẩm tra, thẩm định)", "(Cấp mới, gia hạn)") say what it is for.
_CELL_PER = re.compile(r"^(?:đồng|Đồng|VNĐ)?\s*/\s*([^\d()]{1,30})$")
_CELL_LABEL = re.compile(r"^[^\d()]{1,60}$")


def _cell_item(amount: str, currency: str, per: str, label: str) -> FeeItem | None:
    """The fee cell's own amount, unless it is not a real fee.

    Some cells are in thousands ("20 VNĐ (20.000 vnđ/tờ khai)"): amounts under 1,000 đồng are not
    real fees, so the cell is then left to the details (or, without details, to the raw text).
    """
    value = _vnd(amount)
    if currency != "USD" and value < 1000:
        return None
    usd = currency == "USD"
    text = (f"{format_vnd(value)} USD" if usd else f"{format_vnd(value)} đồng") + (f"/{per}" if per else "")
    return FeeItem(
        text=f"{label}: {text}" if label else text,
        amount=value,
        currency=Currency.USD if usd else Currency.VND,
        per=per,
        label=label,
    )


def _says_what_for(item: FeeItem) -> bool:
    """A short clause without an amount that is not an exemption: what a cell's amount applies to."""
    plain = item.amount is None and not item.exemption
    return plain and not is_plain_free(item.text) and len(item.text) <= 60


def _fee_items(
    cell: tuple[str, str] | None, free: bool, details: str, description: str
) -> tuple[list[FeeItem], int | None]:
    """Fee items of a channel and its fee_vnd (lowest plausible amount; 0 only when plainly free)."""
    per = label = ""
    inner = clean(details).removeprefix("(").removesuffix(")").strip()
    if cell is not None and (match := _CELL_PER.match(inner)):
        per, details = match.group(1).strip(), ""
    elif cell is not None and _CELL_LABEL.match(inner) and not is_plain_free(inner):
        label, details = inner, ""
    stated = fee_clauses(details)
    own = _cell_item(*cell, per, label) if cell is not None else None
    if own is not None and len(stated) == 1 and _says_what_for(stated[0]):
        # "40,000 Việt Nam Đồng (- Xe ô tô từ 10 chỗ trở lên)": the details say what the amount is for;
        # apart, they would read as a second fact.
        what = stated[0].text.rstrip(".")
        own, stated = own.model_copy(update={"text": f"{own.text} ({what[:1].lower()}{what[1:]})"}), []
    items = [*stated, *fee_clauses(description, amounts_only=True)]
    if own is not None and not any((i.amount, i.currency) == (own.amount, own.currency) for i in items):
        items.insert(0, own)  # the details do not restate it
    vnd = [
        i.amount for i in items if i.amount is not None and i.currency == Currency.VND and i.amount >= 1000
    ]
    if vnd:
        return items, min(vnd)
    if free and all(i.amount is None and is_plain_free(i.text) for i in items):
        return items, 0
    return items, None


def _parse_channel(kind: ChannelKind, body: str) -> SubmissionChannel:
    processing_time, processing_days = "", None
    time_value: float | None = None
    time_unit: TimeUnit | None = None
    fee_amount: tuple[str, str] | None = None
    if match := _TIME_WITH_UNIT.match(body):
        processing_time = f"{match.group(1)} {match.group(2)}"
        time_value, time_unit = float(match.group(1).replace(",", ".")), _UNITS[match.group(2).lower()]
        if time_unit == TimeUnit.WORKING_DAYS:
            processing_days = time_value
        rest = body[match.end() :]
    elif body.startswith(NO_INFO):
        rest = body[len(NO_INFO) :]
    elif match := _BARE_TIME_THEN_WORDS.match(body):
        processing_time, rest = match.group(1), body[match.end() :]
        time_value = float(processing_time.replace(",", "."))
    elif match := _BARE_TIME_THEN_AMOUNT.match(body):
        processing_time, fee_amount = match.group(1), (match.group(2), match.group(3))
        time_value = float(processing_time)
        rest = body[match.end() :]
    else:
        fee_start = _FEE_START.search(body)
        cut = fee_start.start() if fee_start else len(body)
        processing_time, rest = body[:cut], body[cut:]

    fee = ""
    if fee_amount is None and (match := CELL_AMOUNT.match(rest)):
        fee_amount, rest = (match.group(1), match.group(2)), rest[match.end() :]
    if fee_amount is not None:
        fee = f"{fee_amount[0]} {fee_amount[1]}"
    elif rest.startswith("Miễn phí"):
        fee, rest = "Miễn phí", rest[len("Miễn phí") :]
    elif rest.startswith(NO_INFO):
        rest = rest[len(NO_INFO) :]
    details = ""
    if fee and rest.startswith("("):
        end = _closing_paren(rest)
        details, rest = rest[:end], rest[end:]
        fee = f"{fee} {details}"
    # Clauses are split at line breaks, so the texts keep them until each clause is cleaned.
    details, rest = unify_tone_marks(details), unify_tone_marks(rest)
    fee_items, fee_vnd = _fee_items(fee_amount, fee.startswith("Miễn phí"), details, rest)
    return SubmissionChannel(
        kind=kind,
        processing_time=clean(processing_time),
        processing_days=processing_days,
        time_value=time_value,
        time_unit=time_unit,
        time_notes=time_notes(rest),
        fee=clean(fee),
        fee_vnd=fee_vnd,
        fee_items=fee_items,
        description=clean(rest),
    )


def parse_channels(text: str) -> list[SubmissionChannel]:
    """Submission channels from the flattened ``cach_thuc_thuc_hien`` table."""
    text = text.strip().removeprefix(_CHANNEL_HEADER)
    starts = [
        m
        for m in _CHANNEL_NAME.finditer(text)
        if m.end() < len(text) and (text[m.end()].isdigit() or text[m.end()].isupper())
    ]
    ends = [m.start() for m in starts[1:]] + [len(text)] * bool(starts)
    return [
        _parse_channel(_CHANNEL_KINDS[m.group()], text[m.end() : end])
        for m, end in zip(starts, ends, strict=True)
    ]


# --------------------------------------------------------------------------------------- documents

_DOCUMENT_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The count cell: "1 bản chính" or "0 bản chính,1 bản sao", glued to the name before it.
_COUNT = re.compile(r"(\d+) bản chính(?:\s*,\s*(\d+) bản sao)?")
_FORM_FILE = re.compile(r"\.(?:docx?|pdf|xlsx?|rtf|odt|zip|rar)$", re.IGNORECASE)
_ENUMERATOR = re.compile(r"^(?:\(?(?:\d+|[ivx]+)\)|\d+\.)\s*")
_TEMPLATE_WORD = re.compile(r"(?:mẫu|mau)(?=[\s\d_-])", re.IGNORECASE)  # "…hết hạnmau so 20.doc"
_NUMBERING_END = re.compile(r"\)?(?:\d+\.)+$")
_LEADING_BULLET = re.compile(r"^(?:[-+*•.]+\s*|\(?(?:[a-zđ]|[ivx]+|\d+)\)\s*|\d+[.)]\s+)+")
_LOWER_THEN_UPPER = re.compile(rf"(?<=[{_LOWER}])(?=[A-ZĐ])")


def _count(digits: str) -> int:
    # A name ending in a year glues onto the count ("ngày 01/01/20261 bản chính"): counts are small.
    return int(digits) if len(digits) <= 2 else int(digits[-1])


def _split_form(cell: str) -> tuple[str, str | None]:
    """Split "name" + glued template file names ("…theo mẫu.Mẫu số 01.docx") into name and forms."""
    forms: list[str] = []
    name = cell
    while (extension := _FORM_FILE.search(name)) is not None:
        extension_start = extension.start()
        # The file name starts after the last punctuation glued to a letter or digit, or at a
        # lower→upper case boundary ("Tờ khaiMẫu TK1.docx"); a file name never starts with "-".
        start = -1
        for i in range(extension_start - 1, 0, -1):
            if name[i - 1] in ".;:)" and name[i].isalnum():
                start = i
                break
        if start < 0:
            boundary = [m.start() for m in _LOWER_THEN_UPPER.finditer(name, 0, extension_start)]
            template = [m.start() for m in _TEMPLATE_WORD.finditer(name, 0, extension_start)]
            start = max(boundary[-1:] + template[-1:], default=0)
        elif numbering := _NUMBERING_END.search(name, 0, start):  # "(theo mẫu)12.1.PL01.docx"
            start = numbering.start() + (1 if numbering.group().startswith(")") else 0)
        forms.insert(0, name[start:].strip())
        name = name[:start]
        if not name.strip():
            break
    if not forms:
        return cell, None
    if not name.strip():  # only a file name: it names the document too
        name = _FORM_FILE.sub("", forms[0])
    return name, ", ".join(forms)


def _group_title(text: str) -> str:
    return _ENUMERATOR.sub("", clean(text).strip(" -:*"))


def _rows(segment: str) -> tuple[list[tuple[str, int, int]], str]:
    """(cell, originals, copies) for each row of a table body, and the text after the last row."""
    rows = []
    position = 0
    for match in _COUNT.finditer(segment):
        cell = segment[position : match.start()]
        if not cell.strip():
            continue  # no name before it: this count is text of the next row's name
        rows.append((cell, _count(match.group(1)), _count(match.group(2) or "0")))
        position = match.end()
    return rows, segment[position:]


def parse_documents(text: str) -> list[RequiredDocument]:
    """Required documents from the flattened ``thanh_phan_ho_so`` table(s).

    With several groups ("Trường hợp…", "Hồ sơ gia hạn", "(1) Thành phần hồ sơ…") each document
    name is prefixed with its group, so an answer can say which case a paper belongs to.
    """
    segments = text.split(_DOCUMENT_HEADER)
    if len(segments) == 1:
        return []
    groups: list[tuple[str, list[tuple[str, int, int]]]] = []
    title = segments[0]
    for index, segment in enumerate(segments[1:], start=1):
        # The text after a table's last row is the next table's title, or a closing note.
        rows, trailing = _rows(segment)
        if index == len(segments) - 1 and clean(trailing):
            rows.append((trailing, 0, 0))
        groups.append((_group_title(title), rows))
        title = trailing
    several = sum(1 for _, rows in groups if rows) > 1
    documents = []
    for group, rows in groups:
        for cell, originals, copies in rows:
            name, form = _split_form(cell)
            name = _LEADING_BULLET.sub("", clean(name).lstrip(" .;:,")).strip(" ;,:")
            if not name:
                continue
            if several and group:
                name = f"{group}: {name}"
            documents.append(
                RequiredDocument(
                    name=name, originals=originals, copies=copies, form=clean(form) if form else None
                )
            )
    return documents


# ----------------------------------------------------------------------------------- legal basis

_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
# Issuer codes have two or more capitals. Before a lowercase letter the last capital normally
# starts the next title ("TT-BCALuật" is BCA + Luật), unless that would leave one letter
# ("NĐ-CPvề kinh doanh…" is CP + a title starting in lowercase).
_ISSUER = rf"(?:UBTVQH\d{{1,2}}|QH\d{{1,2}}|TTg|[A-ZĐ]{{2,}}(?![{_LOWER}])|[A-ZĐ]{{2,}}(?=[{_LOWER}]))"
# The number cell ("123/2015/NĐ-CP", "02/2011/QH13", "379/QĐ-BNNMT", "07/VBHN-BXD") is glued to
# the next title, so it ends where a title starts: a capitalised word ("TT-BTCThông tư" ends at
# "BTC"), a lowercase word, an all-capitals title word, or the end of the text.
# Numbers quoted inside a title are followed by a space or punctuation and are not cells.
_NUMBER_BODY = rf"(\d+)/(?:\d{{4}}/)?{_ISSUER}(?:-{_ISSUER})*"
_NUMBER = re.compile(_NUMBER_BODY)
_CELL_NUMBER = re.compile(
    rf"{_NUMBER_BODY}(?=$|[{_LOWER}]|[A-ZĐÀ-Ỹ][{_LOWER}]|LUẬT|NGHỊ|THÔNG|QUYẾT|PHÁP|VĂN BẢN|BỘ LUẬT)"
)
_KINDS = "Luật|Nghị định|Thông tư|Quyết định|Nghị quyết|Pháp lệnh|Văn bản hợp nhất"
# "…môi trườngLuật số 146/2025/QH15": the kind word before a number belongs to the number cell.
_NUMBER_PREFIX = re.compile(rf"(?<=[{_LOWER})])(?:{_KINDS})(?:\s+số)?\s*$")
_TRUNCATED_NUMBER = re.compile(rf"(?:(?:{_KINDS})(?:\s+số)?\s*)?\d+(?:/\d{{4}})?\.?$")


def _cell_numbers(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, number) of each number cell."""
    for match in _CELL_NUMBER.finditer(text):
        digits, start = match.group(1), match.start()
        # Digits of the title run into the number: a year ("Luật Khiếu nại năm 201102/2011/QH13")
        # or a legislature ("…/QH1165/2006/QH11" is QH11 then 65/2006/QH11).
        if len(digits) > 4 and digits[:2] in ("19", "20"):
            start += 4
        elif text[:start].endswith("QH") and len(digits) > 2:
            start += 2
        yield start, match.end(), match.group()[start - match.start() :]


def parse_legal_basis(text: str) -> list[LegalDocument]:
    """Legal documents (number and title) from the flattened ``can_cu_phap_ly`` table."""
    text = text.strip().removeprefix(_LEGAL_HEADER)
    documents: list[LegalDocument] = []
    position = 0
    for start, end, number in _cell_numbers(text):
        title = _NUMBER_PREFIX.sub("", text[position:start])
        documents.append(LegalDocument(number=clean(number), title=clean(title).strip(" ;,")))
        position = end
    # A last row whose number cell is truncated ("…chuỗi giá trị24/2024", "Nghị định số 85/2026"):
    # the full number, when the title quotes it, is the best we have.
    rest = clean(text[position:])
    if rest:
        title = _TRUNCATED_NUMBER.sub("", rest).strip(" ;,") or rest
        quoted = _NUMBER.search(rest)
        documents.append(LegalDocument(number=quoted.group() if quoted else "", title=title))
    return documents


# ------------------------------------------------------------------------------------ other fields

_LEVELS = {
    "cấp bộ": Level.MINISTRY,
    "cấp tỉnh": Level.PROVINCE,
    "cấp xã": Level.COMMUNE,
    "cơ quan khác": Level.OTHER,
}
_FURNITURE = re.compile(r"Chọn cơ quan thực hiện.*$", re.DOTALL)
# "Mã: KQ.G01.000020" glued to the next result's name, or an odd code such as "Mã: adjfsbj".
_RESULT_CODE = re.compile(rf"Mã:\s*[\w.\-]*?(?=[A-ZĐÀ-Ỹ][{_LOWER}]|Từ khóa|$)")
_KEYWORDS_AND_DESCRIPTION = re.compile(r"Từ khóa(.*?)Mô tả(.*)$", re.DOTALL)
# "Bước 1:", "- Bước 2.", "a) Bước 3 -": at a line start, after punctuation, or inline after a space.
_STEP_MARKER = re.compile(
    r"(?:^|(?<=[\s.;:]))(?:[-+*•][ \t]*)?(?:[a-zđ]\)[ \t]*)?Bước[ \t]*\d+[ \t]*[:.\-–)]"
)
_LETTER_MARKER = re.compile(r"(?m)^[ \t]*[a-zđ]\)[ \t]")
_ONLINE_FULL = re.compile(r"(?:dịch vụ công|trực tuyến)(?: trực tuyến)? toàn trình", re.IGNORECASE)
_ONLINE_PARTIAL = re.compile(r"(?:dịch vụ công|trực tuyến)(?: trực tuyến)? một phần", re.IGNORECASE)


def parse_levels(text: str) -> list[Level]:
    levels = []
    for part in clean(text).split(","):
        level = _LEVELS.get(part.strip().lower())
        if level is None and part.strip():
            level = Level.OTHER
        if level is not None and level not in levels:
            levels.append(level)
    return levels


def split_names(text: str) -> list[str]:
    """Split a ", "-joined list of names, but not inside parentheses nor before a lowercase word.

    "Tổ chức (không bao gồm doanh nghiệp, HTX), Công dân Việt Nam" → two names;
    "Thuế tỉnh, thành phố" stays one.
    """
    text = clean(text)
    names, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if ch == "," and depth == 0 and text[i + 1 : i + 3].strip()[:1].isupper():
            names.append(text[start:i])
            start = i + 1
    names.append(text[start:])
    return [name.strip() for name in names if name.strip()]


def parse_result(text: str) -> str:
    """The result(s) of the procedure, without result codes, keywords and page furniture."""
    text = _FURNITURE.sub("", text)
    description = ""
    if match := _KEYWORDS_AND_DESCRIPTION.search(text):
        description = clean(match.group(2))
        text = text[: match.start()]
    results = [clean(part) for part in _RESULT_CODE.split(text)]
    results = [r for r in results if r]
    if description:
        results.append(description)
    return "; ".join(results)


def parse_conditions(text: str) -> str:
    # When the result section is empty the portal's result furniture lands here.
    text = _FURNITURE.sub("", text)
    if match := _KEYWORDS_AND_DESCRIPTION.search(text):
        text = text[: match.start()]
    return clean(text)


def parse_steps(text: str) -> list[str]:
    """Steps split at "Bước N" markers, else at "a) b) …" items, else at lines."""
    text = text.strip()
    for marker in (_STEP_MARKER, _LETTER_MARKER):
        starts = [m.start() for m in marker.finditer(text)]
        if len(starts) >= 2:
            starts[0] = 0  # an introduction before the first marker stays with step 1
            bounds = zip(starts, [*starts[1:], len(text)], strict=True)
            return [step for s, e in bounds if (step := clean(text[s:e]))]
    return [step for line in text.splitlines() if (step := clean(line))]


def parse_online_level(name: str, channels: list[SubmissionChannel], texts: list[str]) -> OnlineLevel:
    """What the record says: the name first, then descriptions and steps, then the channels.

    The portal rarely states the level; an online channel without a "toàn trình" statement only
    proves that the application can be submitted online, which is "một phần".
    """
    if _ONLINE_FULL.search(name):
        return OnlineLevel.FULL
    if _ONLINE_PARTIAL.search(name):
        return OnlineLevel.PARTIAL
    if any(_ONLINE_FULL.search(text) for text in texts):
        return OnlineLevel.FULL
    if any(c.kind == ChannelKind.ONLINE for c in channels) or any(_ONLINE_PARTIAL.search(t) for t in texts):
        return OnlineLevel.PARTIAL
    return OnlineLevel.NONE


# ------------------------------------------------------------------------------------------ record


def _text_field(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidRecord(f"trường {key} không phải chuỗi ({type(value).__name__})")
    return nfc(value)  # the table parsers match composed text ("Miễn phí", "mẫu")


def parse_portal_record(record: dict[str, Any]) -> Procedure:
    """One portal record → Procedure; raises InvalidRecord (with the reason) for unusable records."""
    if not isinstance(record, dict):
        raise InvalidRecord(f"bản ghi không phải đối tượng JSON ({type(record).__name__})")
    code = clean(_text_field(record, "ma_thu_tuc"))
    if not code:
        raise InvalidRecord("thiếu mã thủ tục (ma_thu_tuc)")
    if any(ch.isspace() for ch in code):
        raise InvalidRecord(f"mã thủ tục không hợp lệ: {code!r}")
    name = clean(_text_field(record, "ten_thu_tuc"))
    if not name:
        raise InvalidRecord(f"thủ tục {code}: thiếu tên thủ tục (ten_thu_tuc)")
    field = {key: _text_field(record, key) for key in record if key not in ("ma_thu_tuc", "ten_thu_tuc")}
    get = field.get
    channels = parse_channels(get("cach_thuc_thuc_hien", ""))
    steps = parse_steps(get("trinh_tu_thuc_hien", ""))
    descriptions = [c.description for c in channels]
    try:
        return Procedure(
            code=code,
            name=name,
            levels=parse_levels(get("cap_thuc_hien", "")),
            field=clean(get("linh_vuc", "")),
            agencies=split_names(get("co_quan_thuc_hien", "")),
            competent_authority=clean(get("co_quan_co_tham_quyen", "")),
            submission_address=clean(get("dia_chi_tiep_nhan", "")),
            authorized_agency=clean(get("co_quan_duoc_uy_quyen", "")),
            applicants=split_names(get("doi_tuong_thuc_hien", "")),
            channels=channels,
            online_level=parse_online_level(name, channels, descriptions + steps),
            documents=parse_documents(get("thanh_phan_ho_so", "")),
            steps=steps,
            conditions=parse_conditions(get("yeu_cau_dieu_kien", "")),
            legal_basis=parse_legal_basis(get("can_cu_phap_ly", "")),
            result=parse_result(get("ket_qua_xu_ly", "")),
            source_url=clean(get("detail_url", "")),
        )
    except ValidationError as error:
        raise InvalidRecord(f"thủ tục {code}: {error.errors()[0]['msg']}") from error
