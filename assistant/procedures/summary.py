"""The operator console's card of a procedure: plain text to copy into a message or read on the phone."""

from __future__ import annotations

from assistant.procedures.answers import document_line
from search_index import facts
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
    # The same parsed facts as the chat's answers: never "Miễn phí" where the record states an amount.
    lines.append(f"Lệ phí: {facts.fee_summary(procedure)}")
    lines.append(f"Thời hạn: {facts.time_summary(procedure)}")
    lines.append(f"Nơi nộp: {facts.where_summary(procedure)}")
    if procedure.source_url:
        lines.append(f"Chi tiết: {procedure.source_url}")
    return "\n".join(lines)
