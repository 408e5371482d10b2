"""Answers formatted from real demo-catalogue records: complete, honest about gaps, cut for chat."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.procedures.addresses import Place, resolve_place, without_address
from assistant.procedures.answers import (
    TITLE_CHARS,
    AnswerContext,
    Aspect,
    Reply,
    answer,
    form_label,
    overview,
    short_name,
    split_messages,
)
from assistant.procedures.follow_up import asked_paper
from assistant.procedures.lookup import content_words
from search_index.catalogue import Procedure, RequiredDocument

CTX = AnswerContext(hotline="18001096", portal_url="https://dichvucong.gov.vn", max_message_chars=900)


def by_code(procedures: list[Procedure], code: str) -> Procedure:
    return next(p for p in procedures if p.code == code)


def text_of(reply: Reply) -> str:
    return "\n".join(reply.messages)


@pytest.mark.parametrize("aspect", list(Aspect))
def test_every_answer_names_the_code_and_links_the_portal(
    demo_procedures: list[Procedure], aspect: Aspect
) -> None:
    khai_sinh = by_code(demo_procedures, "1.001193")
    messages = answer(aspect, khai_sinh, CTX).messages
    assert "1.001193" in messages[0] and "Đăng ký khai sinh" in messages[0]
    assert khai_sinh.source_url in messages[-1]
    assert all(len(m) <= CTX.max_message_chars for m in messages)


def test_giấy_tờ_ngắn_trước_và_đầy_đủ_khi_bấm_xem_thêm(demo_procedures: list[Procedure]) -> None:
    khai_sinh = by_code(demo_procedures, "1.001193")
    short = answer(Aspect.DOCUMENTS, khai_sinh, CTX)
    text = text_of(short)
    assert "• Tờ khai đăng ký khai sinh (1 bản chính)" in text and "• Giấy chứng sinh" in text
    assert [b.title for b in short.buttons] == ["Xem đầy đủ"]
    assert '"detail": "full"' in short.buttons[0].payload and "1.001193" in short.buttons[0].payload
    full = text_of(answer(Aspect.DOCUMENTS, khai_sinh, CTX, full=True))
    assert "1. Tờ khai đăng ký khai sinh" in full and "theo mẫu: Tờ khai đăng ký khai sinh" in full
    assert all(d.name in full for d in khai_sinh.documents)


def test_lệ_phí_theo_từng_hình_thức_nộp_khi_khác_nhau(demo_procedures: list[Procedure]) -> None:
    same = text_of(answer(Aspect.FEE, by_code(demo_procedures, "1.001193"), CTX))
    assert "Miễn lệ phí" in same
    per_channel = text_of(answer(Aspect.FEE, by_code(demo_procedures, "3.000353"), CTX))
    assert "• Nộp trực tuyến:" in per_channel and "• Nộp trực tiếp:" in per_channel
    assert "135.000 đồng/lần" in per_channel and "Miễn phí" not in per_channel


def test_thẻ_tóm_tắt_thủ_tục_kèm_nút_cho_từng_khía_cạnh(demo_procedures: list[Procedure]) -> None:
    card = overview(by_code(demo_procedures, "1.001193"), CTX)
    text = text_of(card)
    assert "1.001193" in text and "Cấp xã" in text and "toàn trình" in text and "Miễn lệ phí" in text
    assert len(text) < 700
    titles = [b.title for b in card.buttons]
    assert titles == ["Giấy tờ", "Lệ phí", "Thời hạn", "Nơi nộp", "Nộp trực tuyến", "Các bước"]
    assert all(len(t) <= 20 for t in titles)
    assert card.buttons[1].payload == '/ask_fee{"procedure_code": "1.001193"}'


def test_processing_time_per_channel(demo_procedures: list[Procedure]) -> None:
    land = by_code(demo_procedures, "1.013978")
    text = text_of(answer(Aspect.PROCESSING_TIME, land, CTX))
    assert all(c.processing_time in text for c in land.channels)


def test_a_missing_field_is_said_missing_with_where_to_ask(demo_procedures: list[Procedure]) -> None:
    bare = by_code(demo_procedures, "1.001193").model_copy(
        update={"documents": [], "channels": [], "legal_basis": [], "steps": [], "conditions": ""}
    )
    for aspect, what in [
        (Aspect.DOCUMENTS, "thành phần hồ sơ"),
        (Aspect.FEE, "phí, lệ phí"),
        (Aspect.PROCESSING_TIME, "thời hạn giải quyết"),
        (Aspect.LEGAL_BASIS, "căn cứ pháp lý"),
        (Aspect.PROCEDURE_STEPS, "trình tự thực hiện"),
        (Aspect.CONDITIONS, "yêu cầu, điều kiện"),
        (Aspect.FORMS, "mẫu đơn, tờ khai"),
    ]:
        text = text_of(answer(aspect, bare, CTX))
        assert (
            f"chưa có thông tin về {what}" in text and "18001096" in text and "Ủy ban nhân dân cấp xã" in text
        )


def test_online_level_and_postal_options(demo_procedures: list[Procedure]) -> None:
    full = text_of(answer(Aspect.ONLINE_SERVICE, by_code(demo_procedures, "1.001193"), CTX))
    assert "TOÀN TRÌNH" in full and "bưu chính" in full
    partial = text_of(answer(Aspect.ONLINE_SERVICE, by_code(demo_procedures, "1.000894"), CTX))
    assert "MỘT PHẦN" in partial


def test_legal_documents_by_number(demo_procedures: list[Procedure]) -> None:
    text = text_of(answer(Aspect.LEGAL_BASIS, by_code(demo_procedures, "1.001193"), CTX))
    assert "• 123/2015/NĐ-CP – Nghị định" in text and "• 60/2014/QH13 – Luật Hộ tịch" in text


def test_where_to_submit_for_the_citizens_new_ward(demo_procedures: list[Procedure]) -> None:
    place = resolve_place("tôi ở phường Phúc Xá quận Ba Đình Hà Nội")
    assert place == Place(
        province="Thành phố Hà Nội",
        ward="Phường Hồng Hà",
        note="Lưu ý: từ 01/7/2025, Phường Phúc Xá nay thuộc Phường Hồng Hà.",
    )
    ctx = AnswerContext(CTX.hotline, CTX.portal_url, CTX.max_message_chars, place)
    text = text_of(answer(Aspect.WHERE_TO_SUBMIT, by_code(demo_procedures, "1.001193"), ctx))
    assert "Ủy ban nhân dân Phường Hồng Hà" in text and "Thành phố Hà Nội" in text and "Phúc Xá" in text


@pytest.mark.parametrize(
    ("typed", "province", "ward"),
    [
        ("phường Bến Nghé quận 1 tp hcm", "Thành phố Hồ Chí Minh", "Phường Sài Gòn"),
        ("phuong phuc xa quan ba dinh ha noi", "Thành phố Hà Nội", "Phường Hồng Hà"),
        ("xã Tân Phú huyện Đồng Phú tỉnh Bình Phước", "Tỉnh Đồng Nai", None),
        ("Phường Hồng Hà, Thành phố Hà Nội", "Thành phố Hà Nội", "Phường Hồng Hà"),
        ("tôi ở Đà Nẵng", "Thành phố Đà Nẵng", None),
    ],
)
def test_addresses_resolve_to_post_2025_units(typed: str, province: str, ward: str | None) -> None:
    place = resolve_place(typed)
    assert place is not None and (place.province, place.ward) == (province, ward)


def test_no_address_in_a_question() -> None:
    assert resolve_place("lệ phí bao nhiêu vậy") is None


def test_province_level_agency_is_localised(demo_procedures: list[Procedure]) -> None:
    ctx = AnswerContext(CTX.hotline, CTX.portal_url, CTX.max_message_chars, resolve_place("Đà Nẵng"))
    text = text_of(answer(Aspect.WHERE_TO_SUBMIT, by_code(demo_procedures, "1.001456"), ctx))
    assert "Công an Thành phố Đà Nẵng" in text


def test_long_answers_are_split_at_line_boundaries() -> None:
    lines = [f"{i}. " + "giấy tờ " * 30 for i in range(1, 12)]
    messages = split_messages(lines, 500)
    assert len(messages) > 1 and all(len(m) <= 500 for m in messages)
    assert "\n".join(messages).split("\n") == lines
    one_huge = split_messages(["Câu một. " * 200], 300)
    assert all(len(m) <= 300 for m in one_huge) and "".join(one_huge).count("Câu một.") == 200


@pytest.mark.parametrize(
    ("question", "words"),
    [
        ("còn lệ phí thì sao?", []),
        ("Le phi dang ky ket hon bao nhieu", ["dang", "ky", "ket", "hon"]),
        # "làm" (make) a card is issuing it: "cấp thẻ căn cước".
        ("làm CCCD cần giấy tờ gì", ["cấp", "thẻ", "căn", "cước"]),
        ("lam cccd can giay to gi", ["cấp", "thẻ", "căn", "cước"]),
    ],
)
def test_content_words_leave_out_the_aspect_and_small_talk(question: str, words: list[str]) -> None:
    assert content_words(question) == words


def test_the_address_is_kept_out_of_the_procedure_search() -> None:
    assert (
        without_address("khai sinh nộp ở đâu, tôi ở phường Phúc Xá quận Ba Đình")
        == "khai sinh nộp ở đâu, tôi ở "
    )
    assert without_address("đăng ký hộ kinh doanh cấp xã ở đâu") == "đăng ký hộ kinh doanh cấp xã ở đâu"


@pytest.mark.parametrize(
    ("file_name", "label"),
    [
        ("Mẫu 03 ĐK TCT.docx", "Mẫu 03-ĐK-TCT"),
        ("Mẫu 20 ĐK -TH-TCT.docx", "Mẫu 20-ĐK-TH-TCT"),
        ("Mau so 02 (1).docx", "Mẫu số 02"),
        ("32-Mẫu số 01-Đơn ký kết LĐHĐ CAND.doc", "Mẫu số 01-Đơn ký kết LĐHĐ CAND"),
        ("Mẫu CC01 Phiếu thu nhận thông tin căn cước.doc", "Mẫu CC01 Phiếu thu nhận thông tin căn cước"),
    ],
)
def test_tên_mẫu_đọc_như_cán_bộ_gọi_không_phải_tên_tệp(file_name: str, label: str) -> None:
    assert form_label(file_name) == label


def test_mẫu_đơn_nói_số_hiệu_chính_thức_mô_tả_ghi_thay_cho_tên_tệp(demo_procedures: list[Procedure]) -> None:
    tờ_khai = RequiredDocument(
        name="Tờ khai thuế thu nhập cá nhân (nhận thừa kế, quà tặng) theo mẫu số 04/TKQT-TNCN",
        form="Mẫu 04 TKQT-TNCN.docx",
    )
    phiếu = RequiredDocument(name="Phiếu khai báo", form="Mau A17 tam tru.doc")
    đơn = RequiredDocument(name="Đơn đề nghị cấp giấy phép xây dựng theo Mẫu số 1 Phụ lục II Nghị định 175")
    record = by_code(demo_procedures, "1.001193").model_copy(update={"documents": [tờ_khai, phiếu, đơn]})
    text = text_of(answer(Aspect.FORMS, record, CTX, full=True))
    assert "Đơn đề nghị cấp giấy phép xây dựng — Mẫu số 1" in text
    assert "Tờ khai thuế thu nhập cá nhân (nhận thừa kế, quà tặng) — Mẫu số 04/TKQT-TNCN" in text
    assert "04-TKQT" not in text  # the file's spelling of the same form is not repeated
    assert "Mẫu A17 tam tru" in text  # a file no description names keeps its own name


def test_các_bước_không_đánh_số_hai_lần(demo_procedures: list[Procedure]) -> None:
    steps = ["+ Bước 1: Nộp hồ sơ tại bộ phận một cửa", "Bước 2. Cơ quan tiếp nhận kiểm tra hồ sơ"]
    record = by_code(demo_procedures, "1.001193").model_copy(update={"steps": steps})
    text = text_of(answer(Aspect.PROCEDURE_STEPS, record, CTX))
    assert "Bước 1. Nộp hồ sơ tại bộ phận một cửa" in text
    assert "Bước 2. Cơ quan tiếp nhận kiểm tra hồ sơ" in text and "Bước 2. Bước 2" not in text


def test_danh_mục_thiếu_thông_tin_thì_vẫn_có_lối_đi_tiếp(demo_procedures: list[Procedure]) -> None:
    bare = by_code(demo_procedures, "1.001193").model_copy(
        update={"conditions": "", "agencies": [], "steps": []}
    )
    reply = answer(Aspect.CONDITIONS, bare, CTX)
    assert "chưa có thông tin về yêu cầu, điều kiện" in text_of(reply)
    assert "hỏi gọi" not in text_of(reply)
    titles = [b.title for b in reply.buttons]
    assert "Giấy tờ" in titles and "Lệ phí" in titles and len(titles) >= 5


def test_không_ghi_điều_kiện_thì_nói_vậy_và_đưa_các_bước(demo_procedures: list[Procedure]) -> None:
    # "chủ nhà phải làm gì" is read as a question of conditions; the record has none, but has steps.
    steps = ["Nộp hồ sơ tại bộ phận một cửa", "Cơ quan tiếp nhận kiểm tra hồ sơ"]
    record = by_code(demo_procedures, "1.001193").model_copy(update={"conditions": "", "steps": steps})
    text = text_of(answer(Aspect.CONDITIONS, record, CTX))
    assert "không ghi yêu cầu, điều kiện" in text and "Bước 1. Nộp hồ sơ tại bộ phận một cửa" in text


@pytest.mark.parametrize(
    ("question", "paper"),
    [
        ("có cần giấy ly hôn không", "ly hon"),
        ("co can mang giay khai sinh ko", "khai sinh"),
        ("có cần mang sổ hộ khẩu không", "ho khau"),
        ("co can CCCD khong", "can cuoc"),
        ("cần giấy tờ gì", None),
        ("có cần đăng ký tạm trú không", None),
    ],
)
def test_câu_hỏi_có_cần_giấy_gì_đó_không(question: str, paper: str | None) -> None:
    assert asked_paper(question) == paper


def test_hỏi_một_giấy_tờ_thì_trả_lời_đúng_giấy_đó(demo_procedures: list[Procedure]) -> None:
    khai_sinh = by_code(demo_procedures, "1.001193")
    named = text_of(
        answer(Aspect.DOCUMENTS, khai_sinh, replace(CTX, paper=asked_paper("có cần giấy chứng sinh không")))
    )
    assert "Trong thành phần hồ sơ, danh mục ghi:" in named and "Giấy chứng sinh" in named
    unnamed = text_of(
        answer(Aspect.DOCUMENTS, khai_sinh, replace(CTX, paper=asked_paper("có cần sổ hộ khẩu không")))
    )
    assert "không có giấy tờ nào mang tên như bạn hỏi" in unnamed and "• Tờ khai đăng ký khai sinh" in unnamed


def test_tên_thủ_tục_quá_dài_chỉ_giữ_vế_đầu_trong_tiêu_đề() -> None:
    name = (
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất trong các trường hợp "
        "chuyển đổi quyền sử dụng đất nông nghiệp mà không theo phương án dồn điền, đổi thửa; chuyển "
        "nhượng, thừa kế, tặng cho quyền sử dụng đất; cho thuê, cho thuê lại quyền sử dụng đất"
    )
    assert short_name(name) == name.split(";")[0] + " …"
    assert short_name("Thủ tục đăng ký khai sinh") == "Thủ tục đăng ký khai sinh"
    no_clause = "Cấp giấy phép " + "rất dài " * 40
    assert len(short_name(no_clause)) <= TITLE_CHARS + 2 and short_name(no_clause).endswith(" …")


def test_quán_ăn_không_dấu_không_phải_là_quận() -> None:
    # "quan" without diacritics is a shop as often as a district: an address is introduced or numbered.
    assert without_address("xin giay phep kinh doanh quan an nho") == "xin giay phep kinh doanh quan an nho"
    assert without_address("nop o dau, toi o quan 3") == "nop o dau, toi o "
    assert without_address("tinh le phi the nao") == "tinh le phi the nao"
