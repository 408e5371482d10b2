"""Giấy tờ trả lời lần đầu: tờ khai trước, mỗi giấy tờ nói một lần."""

from __future__ import annotations

from assistant.procedures.documents import compose
from search_index.catalogue import RequiredDocument


def test_giấy_tờ_danh_mục_ghi_hai_lần_chỉ_nói_một_lần() -> None:
    declaration = RequiredDocument(name="Tờ khai thay đổi thông tin cư trú", originals=1)
    lines, _ = compose(
        [
            declaration,
            RequiredDocument(name="Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", originals=1),
            declaration,
        ]
    ).short_lines()
    assert lines == [
        "• Tờ khai thay đổi thông tin cư trú (1 bản chính)",
        "• Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp (1 bản chính)",
    ]
