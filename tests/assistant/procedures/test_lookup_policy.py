"""Chọn thủ tục từ kết quả tìm kiếm: khi tên đứng đầu không có chữ nào của câu hỏi mà tên kế tiếp có."""

from __future__ import annotations

from assistant.procedures.lookup import Ambiguous, resolve_procedure, says_its_words
from search_index.catalogue import Level, Procedure
from search_index.service import SearchHit

RESIDENCE = Procedure(code="1.010041", name="Xác nhận thông tin về cư trú", levels=[Level.COMMUNE])
UNRELATED = Procedure(
    code="1.003198", name="Cấp giấy xác nhận công dân Việt Nam ở trong nước", levels=[Level.PROVINCE]
)


class Ranked:
    """The search's answer for one message, in a fixed order (what the lookup decides from it)."""

    def __init__(self, *procedures: Procedure) -> None:
        self.procedures = procedures

    def search(self, query: str, *, limit: int = 5, message: str | None = None) -> list[SearchHit]:
        return [SearchHit(p, 0.5 - i / 10) for i, p in enumerate(self.procedures)][:limit]

    def get(self, code: str) -> Procedure | None:
        return next((p for p in self.procedures if p.code == code), None)


def resolve(text: str, *, guess: bool) -> object:
    finder = Ranked(UNRELATED, RESIDENCE)
    return resolve_procedure(
        finder, chosen_code=None, text=text, conversation_code=None, ambiguity_margin=0.4, guess=guess
    )


def test_thủ_tục_kế_tiếp_có_chữ_của_câu_hỏi_được_đưa_ra_để_chọn_thay_vì_không_tìm_thấy() -> None:
    text = "xin giấy xác nhận cư trú ở đâu"
    assert resolve(text, guess=True) == Ambiguous([RESIDENCE])
    assert resolve(text, guess=False) == Ambiguous([RESIDENCE])


def test_một_âm_tiết_chung_chưa_phải_là_nêu_tên_thủ_tục() -> None:
    temporary = Procedure(code="1.013086", name="Đăng ký xe tạm thời", levels=[Level.COMMUNE])
    assert not says_its_words("thời tiết hôm nay thế nào", temporary)
    assert says_its_words("xe mới mua cần đăng ký tạm thời để chạy về", temporary)
