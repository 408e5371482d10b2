"""Procedure answers through the action server's real /webhook, with the real search index."""

from __future__ import annotations

import uuid

import pytest

from tests.actions.rasa_requests import action_request, call, entity, slot_events, texts
from tests.conftest import ActionServer


def ask(server: ActionServer, action: str, text: str, intent: str, **kwargs: object) -> dict:
    body = action_request(action, sender=f"p-{uuid.uuid4().hex[:8]}", text=text, intent=intent, **kwargs)
    return call(server.url, body)


def test_documents_answer_sets_the_procedure_and_aspect(action_server: ActionServer) -> None:
    result = ask(
        action_server, "action_answer_documents", "đăng ký khai sinh cần giấy tờ gì", "ask_documents"
    )
    answer = texts(result)
    assert "Đăng ký khai sinh (mã thủ tục 1.001193)" in answer
    assert "• Tờ khai đăng ký khai sinh" in answer and "bản chính" in answer
    assert "https://dichvucong.gov.vn/" in answer
    assert slot_events(result) == {
        "last_aspect": "documents",
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
    }


def test_fee_follow_up_keeps_the_procedure_of_the_conversation(action_server: ActionServer) -> None:
    result = ask(
        action_server,
        "action_answer_fee",
        "còn lệ phí thì sao?",
        "ask_fee",
        slots={"procedure_code": "1.000894"},
    )
    answer = texts(result)
    assert "Đăng ký kết hôn (mã thủ tục 1.000894)" in answer and "Phí, lệ phí" in answer
    assert slot_events(result)["last_aspect"] == "fee"


@pytest.mark.parametrize("text", ["thế còn đăng ký kết hôn thì sao", "vay con dang ky ket hon thi sao"])
def test_còn_thủ_tục_khác_thì_sao_hỏi_lại_câu_vừa_hỏi(action_server: ActionServer, text: str) -> None:
    # The classifier hears a question about steps; the citizen asks the last answer's question (the fee).
    result = ask(
        action_server,
        "action_answer_procedure_steps",
        text,
        "ask_procedure_steps",
        slots={"procedure_code": "1.001193", "last_aspect": "fee"},
    )
    answer = texts(result)
    assert "Đăng ký kết hôn (mã thủ tục 1.000894)" in answer and "Phí, lệ phí" in answer
    assert slot_events(result)["last_aspect"] == "fee"


def test_text_without_diacritics(action_server: ActionServer) -> None:
    answer = texts(
        ask(action_server, "action_answer_processing_time", "lam ho chieu mat bao lau", "ask_processing_time")
    )
    assert "1.001456" in answer and "Thời hạn giải quyết" in answer


def test_where_to_submit_for_an_old_address(action_server: ActionServer) -> None:
    text = "đăng ký khai sinh nộp ở đâu, tôi ở phường Phúc Xá quận Ba Đình Hà Nội"
    answer = texts(
        ask(
            action_server,
            "action_answer_where_to_submit",
            text,
            "ask_where_to_submit",
            entities=[entity("location", "phường Phúc Xá quận Ba Đình Hà Nội")],
        )
    )
    assert "Phường Hồng Hà" in answer and "Thành phố Hà Nội" in answer and "1.001193" in answer


def test_the_ward_of_the_message_counts_when_the_entity_is_only_the_city(action_server: ActionServer) -> None:
    answer = texts(
        ask(
            action_server,
            "action_answer_where_to_submit",
            "phường Bến Nghé, TP HCM",
            "inform",
            entities=[entity("location", "TP HCM")],
            slots={"procedure_code": "1.001193"},
        )
    )
    assert "Phường Sài Gòn" in answer and "Bến Nghé nay thuộc Phường Sài Gòn" in answer


def test_a_guess_offers_the_other_candidates_as_buttons(action_server: ActionServer) -> None:
    # Reissue of the card or of the identity certificate (for people of undetermined nationality):
    # whichever leads is answered; when the lead is small the others follow as buttons.
    result = ask(action_server, "action_answer_documents", "làm lại căn cước cần giấy tờ gì", "ask_documents")
    first, *rest = result["responses"]
    assert "căn cước" in first["text"] and "Hồ sơ cần chuẩn bị" in first["text"]
    chosen = slot_events(result)["procedure_code"]
    for others in (r for r in rest if (r.get("text") or "").startswith("Nếu bạn hỏi về thủ tục khác")):
        assert all(b["payload"].startswith('/inform{"procedure_code": "') for b in others["buttons"])
        assert chosen not in " ".join(b["payload"] for b in others["buttons"])


def test_a_childs_card_without_an_age_asks_the_clerks_question(action_server: ActionServer) -> None:
    result = ask(
        action_server, "action_answer_documents", "làm căn cước cho con cần giấy tờ gì", "ask_documents"
    )
    [reply] = result["responses"]
    assert reply["text"] == "Người làm thủ tục dưới 14 tuổi phải không?"
    assert {b["title"]: b["payload"] for b in reply["buttons"]} == {
        "Dưới 14 tuổi": '/inform{"procedure_code": "1.014062"}',
        "Từ 14 tuổi": '/inform{"procedure_code": "1.014061"}',
    }
    # Nothing chosen yet; the two members are remembered, so "cháu 9 tuổi" answers the question.
    assert slot_events(result) == {"last_aspect": "documents", "offered_codes": ["1.014062", "1.014061"]}


@pytest.mark.parametrize(("answer", "code"), [("cháu 9 tuổi", "1.014062"), ("trên 14", "1.014061")])
def test_the_clerks_question_answered_in_words(action_server: ActionServer, answer: str, code: str) -> None:
    result = ask(
        action_server,
        "action_answer_documents",
        answer,
        "ask_documents",
        slots={"offered_codes": ["1.014062", "1.014061"]},
    )
    assert slot_events(result)["procedure_code"] == code


def test_a_plain_request_answers_the_plain_procedure_not_its_variants(action_server: ActionServer) -> None:
    result = ask(
        action_server, "action_answer_documents", "đăng ký khai sinh cho con mới sinh cần gì", "ask_documents"
    )
    assert slot_events(result)["procedure_code"] == "1.001193"


def test_a_button_choice_answers_that_procedure(action_server: ActionServer) -> None:
    payload = '/inform{"procedure_code": "1.014064"}'
    result = ask(
        action_server,
        "action_answer_documents",
        payload,
        "inform",
        entities=[entity("procedure_code", "1.014064")],
        slots={"last_aspect": "documents"},
    )
    assert "Cấp lại thẻ căn cước (mã thủ tục 1.014064)" in texts(result)
    assert slot_events(result)["procedure_code"] == "1.014064"


def test_no_match_is_an_honest_answer(action_server: ActionServer) -> None:
    answer = texts(ask(action_server, "action_answer_fee", "thủ tục cấp phép bay flycam", "ask_fee"))
    assert "chưa tìm thấy thủ tục" in answer and "18001096" in answer and "dichvucong.gov.vn" in answer


def test_a_partial_procedure_entity_does_not_hide_the_full_name(action_server: ActionServer) -> None:
    answer = texts(
        ask(
            action_server,
            "action_answer_documents",
            "đăng ký khai sinh cần giấy tờ gì",
            "ask_documents",
            entities=[entity("procedure", "khai sinh")],
        )
    )
    assert "Đăng ký khai sinh (mã thủ tục 1.001193)" in answer


def test_chỉ_nêu_tên_thủ_tục_thì_nhận_thẻ_tóm_tắt_và_nút_khía_cạnh(action_server: ActionServer) -> None:
    result = ask(action_server, "action_answer_overview", "đăng ký khai sinh cho con", "inform")
    answer = texts(result)
    assert "1.001193" in answer and "Lệ phí" in answer and "Thời hạn" in answer
    buttons = [b["title"] for m in result["responses"] for b in m.get("buttons") or []]
    assert buttons == ["Giấy tờ", "Lệ phí", "Thời hạn", "Nơi nộp", "Nộp trực tuyến", "Các bước"]
    assert slot_events(result) == {
        "last_aspect": None,
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
    }


def test_nút_xem_đầy_đủ_trả_toàn_bộ_giấy_tờ(action_server: ActionServer) -> None:
    result = ask(
        action_server,
        "action_answer_documents",
        '/ask_documents{"procedure_code": "1.001193", "detail": "full"}',
        "ask_documents",
        entities=[entity("procedure_code", "1.001193"), entity("detail", "full")],
    )
    assert "1. Tờ khai đăng ký khai sinh" in texts(result)


def test_câu_không_hiểu_nhưng_nêu_tên_thủ_tục_không_thành_ngõ_cụt(action_server: ActionServer) -> None:
    named = texts(ask(action_server, "action_fallback", "đăng ký khai sinh", "nlu_fallback"))
    assert "1.001193" in named and "Xin lỗi" not in named
    gibberish = texts(ask(action_server, "action_fallback", "asdf qwerty zxcv", "nlu_fallback"))
    assert "Xin lỗi, tôi chưa hiểu" in gibberish


def test_câu_bị_coi_là_ngoài_phạm_vi_nhưng_nêu_tên_thủ_tục_được_trả_lời(action_server: ActionServer) -> None:
    named = texts(ask(action_server, "action_out_of_scope", "đăng ký khai sinh cho con", "out_of_scope"))
    assert "1.001193" in named and "chỉ hỗ trợ" not in named
    weather = ask(action_server, "action_out_of_scope", "thời tiết hôm nay thế nào", "out_of_scope")
    assert [m.get("response") for m in weather["responses"]] == ["utter_out_of_scope"]


def test_câu_không_hiểu_mà_vài_thủ_tục_cùng_hợp_thì_trả_lời_thủ_tục_đầu_và_đưa_các_thủ_tục_kia(
    action_server: ActionServer,
) -> None:
    result = ask(action_server, "action_fallback", "đăng ký xe", "nlu_fallback")
    card, others = result["responses"]
    assert "(mã thủ tục " in card["text"] and "Xin lỗi" not in card["text"]
    assert "thủ tục khác" in others["text"] and len(others["buttons"]) >= 1
    assert all(b["payload"].startswith('/inform{"procedure_code"') for b in others["buttons"])
    assert all("xe" in b["title"].lower() for b in others["buttons"])
    assert slot_events(result)["procedure_code"] in card["text"]


def test_lựa_chọn_vừa_đưa_ra_được_nhớ_khi_hỏi_tiếp_mà_chưa_chọn(action_server: ActionServer) -> None:
    # First registration, temporary registration, change of owner: offered, none tapped.
    codes = ["1.013067", "1.013086", "1.013076"]
    # Asked before choosing: the first option's papers, the others still as buttons — not "not found".
    before = ask(
        action_server,
        "action_answer_documents",
        "cần giấy tờ gì",
        "ask_documents",
        slots={"offered_codes": codes},
    )
    assert f"(mã thủ tục {codes[0]})" in texts(before) and "Hồ sơ cần chuẩn bị" in texts(before)
    buttons = [b["payload"] for m in before["responses"] for b in m.get("buttons") or []]
    assert any(codes[1] in payload for payload in buttons)
    assert slot_events(before)["offered_codes"] is None and slot_events(before)["procedure_code"] == codes[0]


def test_câu_bị_coi_là_ngoài_phạm_vi_mà_nêu_tên_vài_thủ_tục_thì_trả_lời_kèm_các_thủ_tục_kia(
    action_server: ActionServer,
) -> None:
    result = ask(action_server, "action_out_of_scope", "đăng ký xe", "out_of_scope")
    card, others = result["responses"]
    assert "(mã thủ tục " in card["text"] and "chỉ hỗ trợ" not in card["text"]
    assert len(others["buttons"]) >= 1 and all("xe" in b["title"].lower() for b in others["buttons"])


def test_câu_không_hiểu_giữa_cuộc_hỏi_về_một_thủ_tục_thì_đưa_các_mục_của_thủ_tục_đó(
    action_server: ActionServer,
) -> None:
    result = ask(
        action_server, "action_fallback", "bao cho ai", "nlu_fallback", slots={"procedure_code": "1.001193"}
    )
    [reply] = result["responses"]
    assert "Đăng ký khai sinh" in reply["text"] and "Xin lỗi" not in reply["text"]
    assert [b["title"] for b in reply["buttons"]][:3] == ["Giấy tờ", "Lệ phí", "Thời hạn"]
    assert '"procedure_code": "1.001193"' in reply["buttons"][0]["payload"]


def test_còn_việc_khác_thì_sao_mà_không_hiểu_vẫn_hỏi_lại_câu_vừa_hỏi(action_server: ActionServer) -> None:
    # After the household business's fee: "còn tạm ngừng thì sao" asks the fee of its suspension.
    result = ask(
        action_server,
        "action_fallback",
        "còn tạm ngừng thì sao",
        "nlu_fallback",
        slots={"procedure_code": "1.001612", "last_aspect": "fee"},
    )
    answer = texts(result)
    assert "(mã thủ tục 1.001570)" in answer and "Phí, lệ phí" in answer
    assert slot_events(result)["procedure_code"] == "1.001570"


def test_mã_hồ_sơ_trong_câu_không_hiểu_vẫn_được_tra_cứu(action_server: ActionServer) -> None:
    answer = texts(ask(action_server, "action_fallback", "H56.14-261118-0003 toi dau roi ad", "nlu_fallback"))
    assert "H56.14-261118-0003" in answer and "Xin lỗi" not in answer


def test_câu_hỏi_dài_không_hiểu_mà_có_khía_cạnh_thì_trả_lời_khía_cạnh_đó(action_server: ActionServer) -> None:
    text = "Kính gửi Quý cơ quan, con tôi mới sinh tháng trước, xin hỏi làm khai sinh cần những giấy tờ gì?"
    result = ask(action_server, "action_fallback", text, "nlu_fallback")
    answer = texts(result)
    assert "(mã thủ tục 1.001193)" in answer and "Hồ sơ cần chuẩn bị" in answer
    assert slot_events(result)["last_aspect"] == "documents"
