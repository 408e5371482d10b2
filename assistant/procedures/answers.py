"""Chat answers about a procedure, built only from its catalogue record.

Every answer names the procedure with its national code and ends with the portal link; a field the
catalogue does not have is said to be missing, with where to ask — nothing is made up. Long
answers are cut into several messages at line boundaries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from assistant.procedures.addresses import Place, localise_agency
from assistant.procedures.documents import compose as compose_documents
from assistant.procedures.payloads import aspect_payload
from search_index import facts
from search_index.catalogue import ChannelKind, Level, OnlineLevel, Procedure, RequiredDocument
from search_index.facts import shorten
from vntext.normalize import folded_words, strip_accents


class Aspect(StrEnum):
    """Values of the ``last_aspect`` slot; one per aspect intent (ask_<aspect>)."""

    DOCUMENTS = "documents"
    FEE = "fee"
    PROCESSING_TIME = "processing_time"
    WHERE_TO_SUBMIT = "where_to_submit"
    PROCEDURE_STEPS = "procedure_steps"
    ONLINE_SERVICE = "online_service"
    CONDITIONS = "conditions"
    LEGAL_BASIS = "legal_basis"
    FORMS = "forms"


@dataclass(frozen=True)
class AnswerContext:
    hotline: str
    portal_url: str
    max_message_chars: int = 900
    place: Place | None = None
    # The paper a question asks about ("ly hon" for "có cần giấy ly hôn không"), accent-folded.
    paper: str | None = None


_LEVEL_NAMES = {
    Level.MINISTRY: "cấp bộ (trung ương)",
    Level.PROVINCE: "cấp tỉnh",
    Level.COMMUNE: "cấp xã",
    Level.OTHER: "cơ quan khác",
}
_CHANNEL_NAMES = {
    ChannelKind.IN_PERSON: "Nộp trực tiếp",
    ChannelKind.ONLINE: "Nộp trực tuyến",
    ChannelKind.POSTAL: "Nộp qua bưu chính",
}


@dataclass(frozen=True)
class QuickReply:
    """A button under the answer: its title (≤ 20 characters, the platforms' limit) and what it sends."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """The messages to send, in order; the buttons go with the last one."""

    messages: list[str]
    buttons: list[QuickReply] = field(default_factory=list)


# Quick replies of the overview card, in the order citizens ask (title ≤ 20 characters).
OVERVIEW_ASPECTS: list[tuple[str, Aspect]] = [
    ("Giấy tờ", Aspect.DOCUMENTS),
    ("Lệ phí", Aspect.FEE),
    ("Thời hạn", Aspect.PROCESSING_TIME),
    ("Nơi nộp", Aspect.WHERE_TO_SUBMIT),
    ("Nộp trực tuyến", Aspect.ONLINE_SERVICE),
    ("Các bước", Aspect.PROCEDURE_STEPS),
]
# The longest list of steps, conditions or legal documents a first answer shows; the rest is one tap away.
FIRST_ANSWER_ITEMS = 6
FIRST_ANSWER_ITEM_CHARS = 220


def answer(aspect: Aspect, procedure: Procedure, ctx: AnswerContext, *, full: bool = False) -> Reply:
    """The answer about one aspect: short first; ``full`` gives everything the record says."""
    built = _BUILDERS[aspect](procedure, ctx, full)
    if isinstance(built, _Missing):
        # Not a dead end: what the record does say is one tap away.
        lines = [
            _title_line(procedure),
            missing(built.what, procedure, ctx),
            _link_line(procedure, ctx),
            "Bạn có thể xem các thông tin khác của thủ tục:",
        ]
        return Reply(
            split_messages(lines, ctx.max_message_chars), aspect_buttons(procedure, leaving_out=aspect)
        )
    body, more = built
    lines = [_title_line(procedure), *body, _link_line(procedure, ctx)]
    buttons = [QuickReply("Xem đầy đủ", aspect_payload(aspect, procedure.code, full=True))] if more else []
    return Reply(split_messages(lines, ctx.max_message_chars), buttons)


def aspect_buttons(procedure: Procedure, *, leaving_out: Aspect | None = None) -> list[QuickReply]:
    """A quick reply for each aspect of the procedure (the overview card's), but ``leaving_out``."""
    return [
        QuickReply(title, aspect_payload(a, procedure.code))
        for title, a in OVERVIEW_ASPECTS
        if a != leaving_out
    ]


def overview(procedure: Procedure, ctx: AnswerContext) -> Reply:
    """A procedure named without a question: who handles it, online or not, fee and time — one line
    each — and a button for every aspect."""
    lines = [
        _title_line(procedure),
        f"🏛️ {_levels_text(procedure)}: {facts.where_summary(procedure)}",
        f"💻 {_online_summary(procedure)}",
        f"💰 Lệ phí: {facts.fee_summary(procedure)}",
        f"⏱️ Thời hạn: {facts.time_summary(procedure)}",
        _link_line(procedure, ctx),
        "Bạn muốn biết thêm về điều gì?",
    ]
    return Reply(split_messages(lines, ctx.max_message_chars), aspect_buttons(procedure))


# A name longer than this (189 of the 2,642; the longest has 1,094 letters) fills a phone screen alone:
# the title keeps its first clause, the code and the portal link say which record it is.
TITLE_CHARS = 200


def short_name(name: str) -> str:
    """The procedure's name, or its beginning up to the first ";" (else the last whole word) and "…"."""
    if len(name) <= TITLE_CHARS:
        return name
    first = name.split(";", 1)[0].strip()
    if len(first) > TITLE_CHARS:
        first = first[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;: ")
    return f"{first} …"


def _title_line(procedure: Procedure) -> str:
    return f"📄 {short_name(procedure.name)} (mã thủ tục {procedure.code})"


def _levels_text(procedure: Procedure) -> str:
    if not procedure.levels:
        return "Nơi giải quyết"
    names = ", ".join(_LEVEL_NAMES[level] for level in procedure.levels)
    return names[:1].upper() + names[1:]


def _online_summary(procedure: Procedure) -> str:
    if procedure.online_level == OnlineLevel.FULL:
        return "Làm được trực tuyến toàn trình"
    if procedure.online_level == OnlineLevel.PARTIAL:
        return "Nộp trực tuyến được một phần (vẫn phải đến cơ quan ở một số bước)"
    if procedure.channel(ChannelKind.ONLINE) is not None:
        return "Có kênh nộp trực tuyến"
    return "Chưa nộp trực tuyến được; nộp trực tiếp" + (
        " hoặc qua bưu chính" if procedure.channel(ChannelKind.POSTAL) is not None else ""
    )


def split_messages(lines: list[str], max_chars: int) -> list[str]:
    """Pack whole lines into messages of at most ``max_chars`` (a longer line is cut at sentences)."""
    pieces: list[str] = []
    for line in lines:
        pieces.extend(_cut(line, max_chars) if len(line) > max_chars else [line])
    messages: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}\n{piece}" if current else piece
        if len(candidate) > max_chars and current:
            messages.append(current)
            current = piece
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages


def _cut(line: str, max_chars: int) -> list[str]:
    parts: list[str] = []
    rest = line
    while len(rest) > max_chars:
        cut = max(
            rest.rfind(". ", 0, max_chars), rest.rfind("; ", 0, max_chars), rest.rfind(" ", 0, max_chars)
        )
        cut = cut + 1 if cut > 0 else max_chars
        parts.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    return [*parts, rest] if rest else parts


def _link_line(procedure: Procedure, ctx: AnswerContext) -> str:
    return f"🔗 Chi tiết trên Cổng Dịch vụ công quốc gia: {procedure.source_url or ctx.portal_url}"


@dataclass(frozen=True)
class _Missing:
    """The record says nothing of the aspect asked (``what``: "phí, lệ phí")."""

    what: str


# What an aspect's builder gives: the lines and whether there is more one tap away, or what is missing.
_Built = tuple[list[str], bool] | _Missing


def missing(what: str, procedure: Procedure, ctx: AnswerContext) -> str:
    where = procedure.competent_authority or (procedure.agencies[0] if procedure.agencies else "")
    ask = f"hỏi {where}, gọi" if where else "gọi"
    return (
        f"Danh mục thủ tục chưa có thông tin về {what} của thủ tục này. Bạn vui lòng {ask} đường dây nóng "
        f"{ctx.hotline} hoặc xem trên {ctx.portal_url}."
    )


def _documents(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    if not procedure.documents:
        return _Missing("thành phần hồ sơ")
    if ctx.paper and not full:
        return _about_a_paper(procedure, ctx.paper)
    if full:
        numbered = (document_line(n, doc) for n, doc in enumerate(procedure.documents, 1))
        return ["Thành phần hồ sơ (đầy đủ theo danh mục):", *numbered], False
    lines, more = compose_documents(procedure.documents).short_lines()
    if not lines:
        numbered = (document_line(n, doc) for n, doc in enumerate(procedure.documents, 1))
        return ["Hồ sơ cần chuẩn bị:", *numbered], False
    return ["Hồ sơ cần chuẩn bị:", *lines], more


def _about_a_paper(procedure: Procedure, paper: str) -> tuple[list[str], bool]:
    """ "Có cần giấy ly hôn không": the items of the record that mention that paper, as the record
    says them, or that the record lists no such paper; the whole list one tap away."""
    mentioning = [
        d.name for d in procedure.documents if f" {paper} " in f" {' '.join(folded_words(d.name))} "
    ]
    if not mentioning:
        # Said of the words, not of the paper: the record may call it otherwise. The list follows.
        lines, _ = compose_documents(procedure.documents).short_lines()
        return [
            "Thành phần hồ sơ không có giấy tờ nào mang tên như bạn hỏi. Hồ sơ cần chuẩn bị:",
            *lines,
        ], True
    lines = [f"• {shorten(name, FIRST_ANSWER_ITEM_CHARS)}" for name in dict.fromkeys(mentioning)]
    return ["Trong thành phần hồ sơ, danh mục ghi:", *lines[:FIRST_ANSWER_ITEMS]], True


def document_line(number: int, document: RequiredDocument) -> str:
    """One required paper: "2. Giấy chứng sinh (1 bản chính) – theo mẫu: …"."""
    counts = [f"{n} bản {kind}" for n, kind in ((document.originals, "chính"), (document.copies, "sao")) if n]
    suffix = f" ({', '.join(counts)})" if counts else ""
    form = f" – theo mẫu: {document.form}" if document.form else ""
    return f"{number}. {document.name}{suffix}{form}"


def _fee(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    if full:
        lines, more = facts.fee_lines(procedure), False
    else:
        lines, more = facts.short_fee_lines(procedure)
    return (lines, more) if lines else _Missing("phí, lệ phí")


def _processing_time(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    lines = facts.time_lines(procedure)
    return (lines, False) if lines else _Missing("thời hạn giải quyết")


def _where_to_submit(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    agencies = procedure.agencies or (
        [procedure.competent_authority] if procedure.competent_authority else []
    )
    place = ctx.place
    if place is None or not agencies:
        # What the record says, or, when it names no agency, where the level's procedures are received.
        lines = facts.where_lines(procedure)
        if not lines:
            return _Missing("nơi tiếp nhận hồ sơ")
        if place is None and agencies and Level.MINISTRY not in procedure.levels:
            lines.append("Bạn cho tôi biết địa chỉ (phường/xã, tỉnh/thành phố) để tôi chỉ cụ thể nơi nộp.")
        return lines, False
    localised = [localise_agency(a, place) for a in agencies]
    lines = [f"Với địa chỉ của bạn ({place.describe()}), nơi giải quyết là: " + "; ".join(localised) + "."]
    if place.ward is None and Level.COMMUNE in procedure.levels:
        lines.append(
            "Thủ tục này do cấp xã giải quyết: bạn cho tôi biết phường/xã nơi cư trú để tôi chỉ đúng nơi nộp."
        )
    if place.note:
        lines.append(place.note)
    if procedure.submission_address:
        lines.append(f"Địa chỉ tiếp nhận: {procedure.submission_address}")
    kinds = [c.kind for c in procedure.channels]
    if kinds:
        lines.append("Cách nộp: " + ", ".join(_CHANNEL_NAMES[k].removeprefix("Nộp ") for k in kinds) + ".")
    return lines, False


def _first_items(items: list[str], full: bool) -> tuple[list[str], bool]:
    """All items when ``full``; else the first few, each cut to its first sentences."""
    if full:
        return items, False
    shown = [shorten(item, FIRST_ANSWER_ITEM_CHARS) for item in items[:FIRST_ANSWER_ITEMS]]
    return shown, len(items) > FIRST_ANSWER_ITEMS or shown != items[:FIRST_ANSWER_ITEMS]


def _steps(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    if not procedure.steps:
        return _Missing("trình tự thực hiện")
    # The record numbers some steps itself ("+ Bước 1: Nộp hồ sơ"): said once, by our numbering.
    steps, more = _first_items([_OWN_STEP_NUMBER.sub("", step) for step in procedure.steps], full)
    return ["Các bước thực hiện:", *(f"Bước {i}. {step}" for i, step in enumerate(steps, 1))], more


_OWN_STEP_NUMBER = re.compile(r"^[\s+•*-]*[Bb]ước\s*\d+\s*[:.)–-]?\s*")


def _online_service(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    online = procedure.channel(ChannelKind.ONLINE)
    postal = procedure.channel(ChannelKind.POSTAL)
    level = procedure.online_level
    if level == OnlineLevel.FULL:
        lines = [
            "✅ Thủ tục này làm được trực tuyến TOÀN TRÌNH: nộp hồ sơ, theo dõi và nhận kết quả "
            "đều qua mạng, "
            f"tại {ctx.portal_url} (đăng nhập bằng tài khoản định danh điện tử VNeID)."
        ]
    elif level == OnlineLevel.PARTIAL:
        lines = [
            f"Thủ tục này làm được trực tuyến MỘT PHẦN: bạn nộp hồ sơ trực tuyến tại {ctx.portal_url}, "
            "nhưng vẫn phải đến cơ quan ở một số bước (xuất trình bản chính, nhận kết quả…)."
        ]
    elif online is not None:
        lines = [f"Thủ tục này có kênh nộp trực tuyến tại {ctx.portal_url}."]
    else:
        lines = ["Thủ tục này hiện chưa hỗ trợ nộp trực tuyến; bạn nộp trực tiếp tại nơi tiếp nhận."]
    if postal is not None:
        lines.append(
            "📮 Có thể nộp hồ sơ qua dịch vụ bưu chính; bạn có thể đăng ký nhận kết quả "
            "qua bưu chính công ích "
            "khi nộp hồ sơ."
        )
    else:
        lines.append("Danh mục không ghi kênh nộp qua bưu chính cho thủ tục này.")
    return lines, False


def _conditions(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    text = procedure.conditions.strip()
    if not text or text.lower().startswith("không có thông tin"):
        steps = _steps(procedure, ctx, full)
        if isinstance(steps, _Missing):
            return _Missing("yêu cầu, điều kiện")
        # "chủ nhà phải làm gì": no conditions recorded, but what is to be done is — said as such.
        lines, more = steps
        return ["Danh mục thủ tục không ghi yêu cầu, điều kiện riêng cho thủ tục này.", *lines], more
    shown = text if full else shorten(text, 3 * FIRST_ANSWER_ITEM_CHARS)
    lines = [f"Yêu cầu, điều kiện: {shown}"]
    if procedure.applicants:
        lines.append("Đối tượng thực hiện: " + ", ".join(procedure.applicants) + ".")
    return lines, shown != text


def _legal_basis(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    if not procedure.legal_basis:
        return _Missing("căn cứ pháp lý")
    items = [f"• {doc.number}" + (f" – {doc.title}" if doc.title else "") for doc in procedure.legal_basis]
    shown, more = _first_items(items, full)
    return ["Căn cứ pháp lý:", *shown], more


# "Mẫu số 1", "mẫu DC02", "Mẫu số 03-ĐK-TCT", "mẫu 01/LPTB" named inside a document's description.
_FORM_MENTION = re.compile(r"\b[Mm]ẫu(?:\s+số)?\s+([0-9A-ZĐ](?:[\w./-]*\w)?)")


_FILE_EXTENSION = re.compile(r"\s*(?:\(\d+\))?\.(?:docx?|pdf|xlsx?|rtf|odt)$", re.IGNORECASE)
_FILE_NUMBERING = re.compile(r"^\d{1,3}\s*-\s*(?=\D)")
_UNACCENTED_FORM = re.compile(r"^(?:mau|mãu)(?:\s+so)?\b", re.IGNORECASE)
# "Mẫu 03 ĐK TCT", "Mẫu 20 ĐK -TH-TCT": a tax form's number and letters, spaced in the file name.
_SPACED_FORM_CODE = re.compile(r"\b(\d{1,3})((?:\s*-?\s*[A-ZĐ]{2,}\b)+)")


def form_label(file_name: str) -> str:
    """A template's file name as a clerk would name it: "Mẫu 03 ĐK TCT.docx" → "Mẫu 03-ĐK-TCT"."""
    label = _FILE_NUMBERING.sub("", _FILE_EXTENSION.sub("", file_name.strip()))
    label = _UNACCENTED_FORM.sub(lambda m: "Mẫu số" if " " in m.group().strip() else "Mẫu", label)
    return _SPACED_FORM_CODE.sub(
        lambda m: "-".join([m.group(1), *re.findall(r"[A-ZĐ]{2,}", m.group(2))]), label
    ).strip()


# Bullets before a paper's name, "theo" and brackets before the form number it names.
_PAPER_EDGES = re.compile(r"^[\s+•*-]+|[\s,(]+(?:theo|tại|là)?[\s,(]*$")


def _form_key(label: str) -> str:
    """A form's number without spelling: "Mẫu 04-TKQT-TNCN" and "04/TKQT-TNCN" both start "04tkqttncn"."""
    key = re.sub(r"[^0-9a-z]", "", strip_accents(label).lower().replace("đ", "d"))
    return re.sub(r"^mau(?:so)?", "", key)


def _forms(procedure: Procedure, ctx: AnswerContext, full: bool) -> _Built:
    # The papers' descriptions give the official numbers ("Tờ khai … mẫu số 04/TKQT-TNCN"); template
    # file names only a spelling of them ("Mẫu 04 TKQT-TNCN.docx"): a file a description names is
    # said the description's way, the other files by their own names.
    mentioned: dict[str, str] = {}
    for doc in procedure.documents:
        for match in _FORM_MENTION.finditer(doc.name):
            paper = _PAPER_EDGES.sub("", doc.name[: match.start()]) or doc.name
            mentioned.setdefault(_form_key(match.group(1)), f"{shorten(paper, 80)} — M{match.group()[1:]}")
    files = [form_label(name) for doc in procedure.documents if doc.form for name in doc.form.split(", ")]
    named = [f for f in files if not any(_form_key(f).startswith(key) for key in mentioned)]
    forms = list(dict.fromkeys([*mentioned.values(), *named]))
    if not forms:
        return _Missing("mẫu đơn, tờ khai")
    shown, more = _first_items(forms, full)
    lines = ["Mẫu đơn, tờ khai:", *(f"{i}. {form}" for i, form in enumerate(shown, 1))]
    lines.append(
        "Bạn tải mẫu tại trang thủ tục trên Cổng Dịch vụ công (đường dẫn bên dưới) hoặc nhận tại nơi nộp."
    )
    return lines, more


_BUILDERS: dict[Aspect, Callable[[Procedure, AnswerContext, bool], _Built]] = {
    Aspect.DOCUMENTS: _documents,
    Aspect.FEE: _fee,
    Aspect.PROCESSING_TIME: _processing_time,
    Aspect.WHERE_TO_SUBMIT: _where_to_submit,
    Aspect.PROCEDURE_STEPS: _steps,
    Aspect.ONLINE_SERVICE: _online_service,
    Aspect.CONDITIONS: _conditions,
    Aspect.LEGAL_BASIS: _legal_basis,
    Aspect.FORMS: _forms,
}


def not_found_text(ctx: AnswerContext) -> str:
    return (
        "Xin lỗi, tôi chưa tìm thấy thủ tục phù hợp với câu hỏi của bạn trong danh mục. "
        'Bạn thử nêu rõ tên thủ tục (ví dụ: "đăng ký khai sinh", "cấp đổi căn cước"), '
        f"tra cứu tại {ctx.portal_url} hoặc gọi đường dây nóng {ctx.hotline}."
    )


def search_unavailable_text(ctx: AnswerContext) -> str:
    return (
        "Xin lỗi, tôi tạm thời không tra cứu được danh mục thủ tục. Bạn vui lòng thử lại sau ít phút, xem "
        f"tại {ctx.portal_url} hoặc gọi đường dây nóng {ctx.hotline}."
    )


def candidates_text() -> str:
    return "Tôi thấy có vài thủ tục gần với câu hỏi của bạn. Bạn hỏi về thủ tục nào ạ?"


def other_candidates_text() -> str:
    return "Nếu bạn hỏi về thủ tục khác, bạn chọn ở đây ạ:"
