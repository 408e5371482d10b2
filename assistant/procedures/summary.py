"""Plain-text summaries of a procedure: the degraded-mode answer and the operator console's copyable card."""

from __future__ import annotations

from search_index.catalogue import Procedure, RequiredDocument

MAX_DOCUMENTS = 8


def document_line(document: RequiredDocument) -> str:
    counts = []
    if document.originals:
        counts.append(f"{document.originals} bản chính")
    if document.copies:
        counts.append(f"{document.copies} bản sao")
    suffix = f" ({', '.join(counts)})" if counts else ""
    form = f" — mẫu: {document.form}" if document.form else ""
    return f"• {document.name}{suffix}{form}"


def procedure_summary(procedure: Procedure, *, max_documents: int = MAX_DOCUMENTS) -> str:
    """Documents, fee, time, agency and link: what a citizen or a hotline operator needs first."""
    lines = [f"{procedure.name} (mã {procedure.code})"]
    if procedure.documents:
        lines.append("Hồ sơ gồm:")
        lines.extend(document_line(d) for d in procedure.documents[:max_documents])
        if len(procedure.documents) > max_documents:
            lines.append(
                f"• … và {len(procedure.documents) - max_documents} giấy tờ khác (xem chi tiết ở link)."
            )
    # Channels with the same time and fee share one line ("Nộp trực tiếp, trực tuyến: …").
    by_terms: dict[tuple[str, str], list[str]] = {}
    for channel in procedure.channels:
        terms = (
            channel.processing_time or "chưa có thông tin thời hạn",
            channel.fee or "chưa có thông tin lệ phí",
        )
        by_terms.setdefault(terms, []).append(channel.kind.value)
    for (time, fee), kinds in by_terms.items():
        lines.append(f"Nộp {', '.join(kinds)}: {time}; {fee.rstrip('.')}.")
    if procedure.agencies:
        lines.append(f"Cơ quan thực hiện: {', '.join(procedure.agencies)}.")
    if procedure.source_url:
        lines.append(f"Chi tiết: {procedure.source_url}")
    return "\n".join(lines)
