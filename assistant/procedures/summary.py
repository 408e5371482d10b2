"""The operator console's card of a procedure: plain text to copy into a message or read on the phone."""

from __future__ import annotations

from assistant.procedures.answers import document_line
from search_index.catalogue import Procedure

MAX_DOCUMENTS = 8


def procedure_summary(procedure: Procedure, *, max_documents: int = MAX_DOCUMENTS) -> str:
    """Documents, fee, time, agency and link: what a citizen or a hotline operator needs first."""
    lines = [f"{procedure.name} (mã {procedure.code})"]
    if procedure.documents:
        lines.append("Hồ sơ gồm:")
        lines.extend(document_line(n, d) for n, d in enumerate(procedure.documents[:max_documents], 1))
        if len(procedure.documents) > max_documents:
            lines.append(
                f"… và {len(procedure.documents) - max_documents} giấy tờ khác (xem chi tiết ở link)."
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
