"""Chọn thủ tục từ kết quả tìm kiếm: khi tên đứng đầu không có chữ nào của câu hỏi mà tên kế tiếp có."""

from __future__ import annotations

from assistant.procedures.lookup import (
    Ambiguous,
    Found,
    NotFound,
    pairs_of_its_name,
    resolve_procedure,
    says_its_words,
)
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


LIÊN_THÔNG = Procedure(
    code="2.000986",
    name="Liên thông thủ tục hành chính về đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
    levels=[Level.COMMUNE],
)
THẺ_BHYT = Procedure(code="1.002755", name="Cấp thẻ bảo hiểm y tế", levels=[Level.PROVINCE])


def answer_to(text: str, *offered: Procedure) -> object:
    finder = Ranked(UNRELATED, RESIDENCE, LIÊN_THÔNG, THẺ_BHYT)
    return resolve_procedure(
        finder,
        chosen_code=None,
        text=text,
        conversation_code=None,
        ambiguity_margin=0.4,
        offered=[p.code for p in offered],
    )


def test_trả_lời_lựa_chọn_bằng_lời_thay_vì_bấm_nút() -> None:
    assert answer_to("lien thong vay thi bao lau xong het", THẺ_BHYT, LIÊN_THÔNG) == Found(LIÊN_THÔNG)


def test_hỏi_giấy_tờ_trước_khi_chọn_thì_trả_lời_lựa_chọn_đầu_và_giữ_các_lựa_chọn_khác() -> None:
    assert answer_to("cần giấy tờ gì", THẺ_BHYT, LIÊN_THÔNG) == Found(THẺ_BHYT, (LIÊN_THÔNG,))


def test_câu_nêu_thủ_tục_khác_thì_tìm_như_thường() -> None:
    # Neither option has "cư trú": the search answers (its first name has no word of the message, the
    # next have some: offered as the choice, in the search's order).
    resolution = answer_to("xin giấy xác nhận cư trú ở đâu", THẺ_BHYT, LIÊN_THÔNG)
    assert isinstance(resolution, Ambiguous) and resolution.candidates[0] == RESIDENCE


def test_nhiều_lựa_chọn_có_chữ_của_câu_thì_theo_thứ_tự_tìm_kiếm() -> None:
    giao_dịch = Procedure(code="2.001035", name="Chứng thực giao dịch liên quan đến tài sản là động sản")
    di_sản = Procedure(code="2.001406", name="Chứng thực văn bản phân chia di sản")
    sang_tên = Procedure(code="1.013081", name="Cấp chứng nhận đăng ký xe khi thay đổi chủ xe")
    finder = Ranked(UNRELATED, giao_dịch, di_sản, sang_tên)
    resolution = resolve_procedure(
        finder,
        chosen_code=None,
        text="chứng thực hợp đồng thì mang theo những gì",
        conversation_code=None,
        ambiguity_margin=0.4,
        offered=[di_sản.code, giao_dịch.code, sang_tên.code],
    )
    assert resolution == Found(giao_dịch)


def test_câu_chỉ_có_chữ_chung_chung_không_nêu_thủ_tục_nào() -> None:
    # "nhận" is in a great many names: the search still ranks something first ("Công nhận tiến bộ kỹ
    # thuật"), but nothing was named.
    technical = Procedure(code="2.001576", name="Công nhận tiến bộ kỹ thuật")
    finder = Ranked(technical, RESIDENCE)
    resolution = resolve_procedure(
        finder,
        chosen_code=None,
        text="bao lâu thì được nhận tiền",
        conversation_code=None,
        ambiguity_margin=0.4,
    )
    assert isinstance(resolution, NotFound)


def test_đếm_cặp_chữ_của_tên_thủ_tục_mà_câu_nói_ra() -> None:
    exam = Procedure(
        code="1.007413",
        name="Đăng ký dự thi chứng chỉ kiểm toán viên đối với người đã có chứng chỉ kế toán viên",
    )
    translator = Procedure(
        code="2.000992", name="Chứng thực chữ ký người dịch mà người dịch là cộng tác viên dịch thuật"
    )
    assert pairs_of_its_name("viết giúp em cái CV xin việc kế toán với", exam) == 1
    assert pairs_of_its_name("chứng thực chữ ký người dịch phí bao nhiu", translator) >= 2


QUỐC_TỊCH = [
    Procedure(code="2.002036", name="Thôi quốc tịch Việt Nam ở trong nước"),
    Procedure(code="2.002037", name="Nhập quốc tịch Việt Nam ở trong nước"),
    Procedure(code="2.002038", name="Trở lại quốc tịch Việt Nam ở trong nước"),
]


def test_câu_trả_lời_ngắn_chọn_được_bằng_một_chữ_của_tên() -> None:
    finder = Ranked(UNRELATED, *QUỐC_TỊCH)
    resolution = resolve_procedure(
        finder,
        chosen_code=None,
        text="ho so xin thoi gom nhung gi",
        conversation_code=None,
        ambiguity_margin=0.4,
        offered=[p.code for p in QUỐC_TỊCH],
    )
    assert resolution == Found(QUỐC_TỊCH[0])


def test_câu_hỏi_chỉ_có_chữ_chung_chung_thì_lựa_chọn_vẫn_còn() -> None:
    finder = Ranked(UNRELATED, *QUỐC_TỊCH)
    for guess, expected in [
        (True, Found(QUỐC_TỊCH[0], tuple(QUỐC_TỊCH[1:]))),
        (False, Ambiguous(QUỐC_TỊCH)),
    ]:
        resolution = resolve_procedure(
            finder,
            chosen_code=None,
            text="lệ phí cấp phép tính thế nào",
            conversation_code=None,
            ambiguity_margin=0.4,
            guess=guess,
            offered=[p.code for p in QUỐC_TỊCH],
        )
        assert resolution == expected


def test_chữ_viết_tắt_trong_tên_thủ_tục_cũng_là_chữ_của_tên() -> None:
    # Câu hỏi được mở chữ viết tắt ("bhxh" → "bảo hiểm xã hội"), tên thủ tục vẫn giữ "sổ BHXH".
    book = Procedure(code="1.002759", name="Cấp lại, đổi, điều chỉnh thông tin trên sổ BHXH, thẻ BHYT")
    finder = Ranked(book, RESIDENCE)
    found = resolve_procedure(
        finder,
        chosen_code=None,
        text="bi mat so bhxh",
        conversation_code=None,
        ambiguity_margin=0.4,
        guess=True,
    )
    assert isinstance(found, Found) and found.procedure == book
