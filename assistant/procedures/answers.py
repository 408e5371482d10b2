"""Chat answers about a procedure, built only from its catalogue record.

Every answer names the procedure with its national code and ends with the portal link; a field the
catalogue does not have is said to be missing, with where to ask — nothing is made up. Long
answers are cut into several messages at line boundaries.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from assistant.procedures.addresses import Place, localise_agency
from search_index.catalogue import (
    ChannelKind,
    Level,
    OnlineLevel,
    Procedure,
    RequiredDocument,
    SubmissionChannel,
)


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


def answer(aspect: Aspect, procedure: Procedure, ctx: AnswerContext) -> list[str]:
    """The messages to send, in order."""
    body = _BUILDERS[aspect](procedure, ctx)
    lines = [f"📄 {procedure.name} (mã thủ tục {procedure.code})", *body, _link_line(procedure, ctx)]
    return split_messages(lines, ctx.max_message_chars)


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


def missing(what: str, procedure: Procedure, ctx: AnswerContext) -> str:
    where = procedure.competent_authority or (procedure.agencies[0] if procedure.agencies else "")
    ask = f"{where}, " if where else ""
    return (
        f"Danh mục thủ tục chưa có thông tin về {what} của thủ tục này. Bạn vui lòng hỏi {ask}"
        f"gọi đường dây nóng {ctx.hotline} hoặc xem trên {ctx.portal_url}."
    )


def _documents(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    if not procedure.documents:
        return [missing("thành phần hồ sơ", procedure, ctx)]
    return ["Hồ sơ cần chuẩn bị:", *(document_line(n, doc) for n, doc in enumerate(procedure.documents, 1))]


def document_line(number: int, document: RequiredDocument) -> str:
    """One required paper: "2. Giấy chứng sinh (1 bản chính) – theo mẫu: …"."""
    counts = [f"{n} bản {kind}" for n, kind in ((document.originals, "chính"), (document.copies, "sao")) if n]
    suffix = f" ({', '.join(counts)})" if counts else ""
    form = f" – theo mẫu: {document.form}" if document.form else ""
    return f"{number}. {document.name}{suffix}{form}"


def _fee(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    fees = [(c, _fee_text(c)) for c in procedure.channels]
    known = [(c, f) for c, f in fees if f]
    if not known:
        return [missing("phí, lệ phí", procedure, ctx)]
    return ["Phí, lệ phí:", *_per_channel(known)]


def _fee_text(channel: SubmissionChannel) -> str:
    if channel.fee.strip():
        return channel.fee.strip()
    if channel.fee_vnd == 0:
        return "Miễn phí"
    if channel.fee_vnd is not None:
        return f"{channel.fee_vnd:,} đồng".replace(",", ".")
    return ""


def _processing_time(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    known = [(c, c.processing_time.strip()) for c in procedure.channels if c.processing_time.strip()]
    if not known:
        return [missing("thời hạn giải quyết", procedure, ctx)]
    return ["Thời hạn giải quyết:", *_per_channel(known)]


def _per_channel(values: list[tuple[SubmissionChannel, str]]) -> list[str]:
    """One line when every channel says the same, else one line per channel."""
    if len({v for _, v in values}) == 1:
        kinds = ", ".join(_CHANNEL_NAMES[c.kind].removeprefix("Nộp ").lower() for c, _ in values)
        return [f"• {values[0][1]} (áp dụng khi nộp {kinds})"]
    return [f"• {_CHANNEL_NAMES[c.kind]}: {v}" for c, v in values]


def _where_to_submit(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    lines: list[str] = []
    if procedure.levels:
        lines.append("Cấp giải quyết: " + ", ".join(_LEVEL_NAMES[level] for level in procedure.levels) + ".")
    agencies = procedure.agencies or (
        [procedure.competent_authority] if procedure.competent_authority else []
    )
    place = ctx.place
    if place is not None and agencies:
        localised = [localise_agency(a, place) for a in agencies]
        lines.append(
            f"Với địa chỉ của bạn ({place.describe()}), nơi giải quyết là: " + "; ".join(localised) + "."
        )
        if place.ward is None and Level.COMMUNE in procedure.levels:
            lines.append(
                "Thủ tục này do cấp xã giải quyết: bạn cho tôi biết phường/xã nơi cư trú "
                "để tôi chỉ đúng nơi nộp."
            )
        if place.note:
            lines.append(place.note)
    elif agencies:
        lines.append("Cơ quan thực hiện: " + "; ".join(agencies) + ".")
    if procedure.submission_address:
        lines.append(f"Địa chỉ tiếp nhận: {procedure.submission_address}")
    if not agencies and not procedure.submission_address:
        return [*lines, missing("nơi tiếp nhận hồ sơ", procedure, ctx)]
    kinds = [c.kind for c in procedure.channels]
    if kinds:
        lines.append("Cách nộp: " + ", ".join(_CHANNEL_NAMES[k].removeprefix("Nộp ") for k in kinds) + ".")
    if place is None and Level.MINISTRY not in procedure.levels:
        lines.append("Bạn cho tôi biết địa chỉ (phường/xã, tỉnh/thành phố) để tôi chỉ cụ thể nơi nộp nhé.")
    return lines


def _steps(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    if not procedure.steps:
        return [missing("trình tự thực hiện", procedure, ctx)]
    return ["Các bước thực hiện:", *(f"Bước {i}. {step}" for i, step in enumerate(procedure.steps, 1))]


def _online_service(procedure: Procedure, ctx: AnswerContext) -> list[str]:
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
            "Thủ tục này làm được trực tuyến MỘT PHẦN: bạn nộp hồ sơ trực tuyến tại "
            f"{ctx.portal_url}, nhưng vẫn phải đến cơ quan ở một số bước "
            "(xuất trình bản chính, nhận kết quả…)."
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
    return lines


def _conditions(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    text = procedure.conditions.strip()
    if not text or text.lower().startswith("không có thông tin"):
        return [missing("yêu cầu, điều kiện", procedure, ctx)]
    lines = [f"Yêu cầu, điều kiện: {text}"]
    if procedure.applicants:
        lines.append("Đối tượng thực hiện: " + ", ".join(procedure.applicants) + ".")
    return lines


def _legal_basis(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    if not procedure.legal_basis:
        return [missing("căn cứ pháp lý", procedure, ctx)]
    lines = ["Căn cứ pháp lý:"]
    lines.extend(
        f"• {doc.number}" + (f" – {doc.title}" if doc.title else "") for doc in procedure.legal_basis
    )
    return lines


def _forms(procedure: Procedure, ctx: AnswerContext) -> list[str]:
    forms = [doc.form for doc in procedure.documents if doc.form]
    if not forms:
        return [missing("mẫu đơn, tờ khai", procedure, ctx)]
    lines = ["Mẫu đơn, tờ khai:"]
    lines.extend(f"{i}. {form}" for i, form in enumerate(dict.fromkeys(forms), 1))
    lines.append(
        "Bạn tải mẫu tại trang thủ tục trên Cổng Dịch vụ công (đường dẫn bên dưới) hoặc nhận tại nơi nộp."
    )
    return lines


_BUILDERS = {
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
