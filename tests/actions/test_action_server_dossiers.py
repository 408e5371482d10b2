"""Dossier status, feedback, ratings and handoffs through the action server's real /webhook endpoint."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from tests.actions.rasa_requests import action_request, call, entity, slot_events, texts
from tests.conftest import ActionServer


def sender() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def validate_code(server: ActionServer, typed: str, who: str, slot_value: str | None = None) -> dict:
    return call(
        server.url,
        action_request(
            "validate_dossier_status_form",
            sender=who,
            text=typed,
            intent="inform",
            active_loop="dossier_status_form",
            slots={"requested_slot": "dossier_code"},
            slots_just_set={"dossier_code": typed if slot_value is None else slot_value},
        ),
    )


def check(server: ActionServer, code: str, who: str, phone_last4: str | None = None) -> str:
    slots = {"dossier_code": code, "phone_last4": phone_last4}
    body = action_request(
        "action_check_dossier_status", sender=who, text=code, intent="check_dossier_status", slots=slots
    )
    result = call(server.url, body)
    slots = slot_events(result)
    assert (slots["dossier_code"], slots["phone_last4"]) == (None, None)
    return texts(result)


def test_code_typed_loosely_is_canonicalised(action_server: ActionServer) -> None:
    result = validate_code(action_server, "h56.14 - 261110 - 0021", sender())
    assert slot_events(result)["dossier_code"] == "H56.14-261110-0021"
    assert texts(result) == ""


def test_malformed_code_gets_a_format_hint(action_server: ActionServer) -> None:
    result = validate_code(action_server, "H56.14-2611-0021", sender())
    assert slot_events(result)["dossier_code"] is None
    assert "chưa đúng định dạng" in texts(result) and "H56.14-240823-0001" in texts(result)


def test_entity_cut_short_by_the_nlu_still_gets_the_hint_for_what_was_typed(
    action_server: ActionServer,
) -> None:
    result = validate_code(action_server, "tra cứu hồ sơ H56.14-2611-0021", sender(), slot_value="H56.14")
    assert slot_events(result)["dossier_code"] is None
    assert '"H56.14-2611-0021" chưa đúng định dạng' in texts(result)


@pytest.mark.parametrize("typed", ["kiem tra ho so H56.14-26111-0021", "hồ sơ số H5614-261110 sao rồi"])
def test_mã_sai_ngay_trong_câu_đầu_tiên_được_chỉ_định_dạng(action_server: ActionServer, typed: str) -> None:
    # At activation no slot is requested yet: the validator itself takes the malformed code.
    body = action_request(
        "validate_dossier_status_form",
        sender=sender(),
        text=typed,
        intent="check_dossier_status",
        active_loop="dossier_status_form",
    )
    result = call(action_server.url, body)
    assert slot_events(result)["dossier_code"] is None
    assert "chưa đúng định dạng" in texts(result)


def test_status_on_time_with_next_step(action_server: ActionServer) -> None:
    answer = check(action_server, "H56.14-261110-0021", sender())
    assert "Đang xử lý" in answer and "trong hạn" in answer and "Việc cần làm" in answer
    assert "Phạm" not in answer  # no personal data without the second factor


def test_overdue_dossier_says_so_and_where_to_turn(action_server: ActionServer) -> None:
    answer = check(action_server, "H56.14-261105-0034", sender())
    assert "quá hạn" in answer and "18001096" in answer
    assert "chưa cần làm gì" not in answer  # the late agency is not the citizen's to wait for


def verify_digits(server: ActionServer, who: str, typed: str, code: str | None) -> dict:
    body = action_request(
        "action_verify_second_factor",
        sender=who,
        text=typed,
        intent="inform",
        entities=[entity("phone_last4", typed[-4:])],
        slots={"last_dossier_code": code},
    )
    return call(server.url, body)


def test_bốn_số_cuối_gửi_riêng_sau_câu_trả_lời_là_yếu_tố_thứ_hai_của_hồ_sơ_đó(
    action_server: ActionServer,
) -> None:
    who = sender()
    body = action_request(
        "action_check_dossier_status",
        sender=who,
        text="000.00.06.H56-261120-0012",
        intent="check_dossier_status",
        slots={"dossier_code": "000.00.06.H56-261120-0012"},
    )
    first = call(action_server.url, body)
    assert "4 số cuối" in texts(first) and "Nguyễn" not in texts(first)
    assert slot_events(first)["last_dossier_code"] == "000.00.06.H56-261120-0012"
    for typed in ("5678", "4 số cuối là 5678"):
        shown = verify_digits(action_server, who, typed, "000.00.06.H56-261120-0012")
        assert "Nguyễn V** A**" in texts(shown) and slot_events(shown)["last_dossier_code"] is None
    wrong = verify_digits(action_server, who, "1111", "000.00.06.H56-261120-0012")
    assert "không khớp" in texts(wrong) and "Nguyễn" not in texts(wrong)


def test_bốn_số_cuối_bị_hiểu_nhầm_là_câu_hỏi_thủ_tục_vẫn_là_yếu_tố_thứ_hai(
    action_server: ActionServer,
) -> None:
    who = sender()
    first = call(
        action_server.url,
        action_request(
            "action_check_dossier_status",
            sender=who,
            text="000.00.06.H56-261120-0012",
            intent="check_dossier_status",
            slots={"dossier_code": "000.00.06.H56-261120-0012"},
        ),
    )
    code = slot_events(first)["last_dossier_code"]
    for action, intent in [("action_answer_documents", "ask_documents"), ("action_fallback", "nlu_fallback")]:
        body = action_request(
            action,
            sender=who,
            text="đuôi số điện thoại 5678",
            intent=intent,
            slots={"last_dossier_code": code},
        )
        assert "Nguyễn V** A**" in texts(call(action_server.url, body))
    # A question that only has digits in it is still a question.
    body = action_request(
        "action_answer_fee",
        sender=who,
        text="lệ phí đăng ký khai sinh 2024 bao nhiêu",
        intent="ask_fee",
        slots={"last_dossier_code": code},
    )
    assert "Nguyễn" not in texts(call(action_server.url, body))


def test_bốn_số_khi_chưa_tra_hồ_sơ_nào_thì_hỏi_mã(action_server: ActionServer) -> None:
    answer = texts(verify_digits(action_server, sender(), "5678", None))
    assert "mã hồ sơ" in answer and "Nguyễn" not in answer


def test_supplement_request_tells_what_to_bring(action_server: ActionServer) -> None:
    answer = check(action_server, "000.00.06.H56-261112-0042", sender())
    assert "Yêu cầu bổ sung giấy tờ" in answer and "giấy tờ còn thiếu" in answer


def test_unknown_code(action_server: ActionServer) -> None:
    answer = check(action_server, "H56.14-240101-9999", sender())
    assert "không tìm thấy" in answer and "H56.14-240101-9999" in answer


def test_second_factor_reveals_the_masked_name_only_when_it_matches(action_server: ActionServer) -> None:
    assert "Nguyễn V** A**" in check(action_server, "000.00.06.H56-261120-0012", sender(), "5678")
    wrong = check(action_server, "000.00.06.H56-261120-0012", sender(), "1111")
    assert "Nguyễn" not in wrong and "không khớp" in wrong


def test_code_with_phone_digits_asks_for_nothing_more(action_server: ActionServer) -> None:
    who = sender()
    typed = "H56.14-261118-0003 sđt đuôi 1234"
    body = action_request(
        "validate_dossier_status_form",
        sender=who,
        text=typed,
        intent="check_dossier_status",
        entities=[entity("dossier_code", "H56.14-261118-0003")],
        active_loop="dossier_status_form",
        slots_just_set={"dossier_code": "H56.14-261118-0003"},
    )
    slots = slot_events(call(action_server.url, body))
    assert slots["dossier_code"] == "H56.14-261118-0003" and slots["phone_last4"] == "1234"
    assert slots.get("requested_slot") is None


def test_lookups_are_rate_limited_per_sender(action_server: ActionServer) -> None:
    who = sender()
    answers = [check(action_server, f"H56.14-240101-{n:04d}", who) for n in range(11)]
    assert all("không tìm thấy" in a for a in answers[:10])
    assert "nhiều lần" in answers[10]
    # Only a sender's own budget is spent here. A new sender id does not reset the budget of a client
    # network or of a code: tests/actions/test_lookup_budgets.py rotates senders and is refused.


def test_feedback_is_stored_before_the_number_is_given(action_server: ActionServer) -> None:
    who = sender()
    content = "Bộ phận một cửa phường Hồng Hà hẹn trả kết quả nhưng đến ngày vẫn chưa có"
    slots = {"feedback_content": content, "feedback_contact": "0912345678", "feedback_consent": True}
    body = action_request(
        "action_submit_feedback",
        sender=who,
        text="/affirm",
        intent="affirm",
        slots=slots,
        metadata={"channel": "zalo"},
    )
    result = call(action_server.url, body)
    number = next(word.strip(".") for word in texts(result).split() if word.startswith("PA-"))
    engine = sa.create_engine(action_server.database_url)
    with engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT content, contact, consent, channel, sender_id FROM feedback "
                "WHERE tracking_number = :n"
            ),
            {"n": number},
        ).one()
    engine.dispose()
    assert tuple(row) == (content, "0912345678", True, "zalo", who)
    assert slot_events(result) == {
        "filed_feedback_code": number,
        "feedback_content": None,
        "feedback_contact": None,
        "feedback_consent": None,
    }


def test_feedback_form_validation(action_server: ActionServer) -> None:
    def validate(slot: str, value: object, text: str, intent: str = "inform") -> dict:
        body = action_request(
            "validate_feedback_form",
            sender=sender(),
            text=text,
            intent=intent,
            active_loop="feedback_form",
            slots={"requested_slot": slot},
            slots_just_set={slot: value},
        )
        return call(action_server.url, body)

    short = validate("feedback_content", "tệ", "tệ")
    assert slot_events(short)["feedback_content"] is None and "rõ hơn" in texts(short)
    assert slot_events(validate("feedback_contact", "không", "không", "deny"))["feedback_contact"] == ""
    assert (
        slot_events(validate("feedback_contact", "0912 345 678", "0912 345 678"))["feedback_contact"]
        == "0912 345 678"
    )
    unclear = validate("feedback_contact", "mai gọi", "mai gọi")
    assert slot_events(unclear)["feedback_contact"] is None
    # A refusal in words is no contact, whatever the classifier made of it (not more of the account).
    refusal = "thôi không để lại thông tin đâu"
    declined = validate("feedback_contact", refusal, refusal)
    assert slot_events(declined)["feedback_contact"] == "" and "feedback_content" not in slot_events(declined)
    # The classifier may take "ok đồng ý cho cơ quan gọi lại" for a request for a person: the words decide.
    agreed = validate("feedback_consent", "ok dong y cho co quan goi lai", "ok dong y cho co quan goi lai")
    assert slot_events(agreed)["feedback_consent"] is True
    refused = validate("feedback_consent", "không đồng ý đâu", "không đồng ý đâu")
    assert slot_events(refused)["feedback_consent"] is False


def test_rating_and_handoff_are_recorded(action_server: ActionServer) -> None:
    who = sender()
    rating = action_request(
        "action_store_rating",
        sender=who,
        text='/inform{"rating": "4"}',
        intent="inform",
        entities=[entity("rating", "4")],
    )
    call(action_server.url, rating)
    handoff = action_request(
        "action_handoff_to_human", sender=who, text="cho tôi gặp cán bộ", intent="request_human"
    )
    reply = texts(call(action_server.url, handoff))
    assert "cán bộ" in reply and "18001096" in reply
    engine = sa.create_engine(action_server.database_url)
    with engine.connect() as connection:
        scores = connection.execute(
            sa.text("SELECT score FROM ratings WHERE conversation_id = :s"), {"s": who}
        ).all()
        states = connection.execute(
            sa.text("SELECT state FROM handoff_requests WHERE conversation_id = :s"), {"s": who}
        ).all()
    engine.dispose()
    assert [s for (s,) in scores] == [4] and [s for (s,) in states] == ["open"]


def test_second_miss_in_a_row_offers_a_person(action_server: ActionServer) -> None:
    from tests.actions.rasa_requests import user_event

    first = action_request("action_fallback", sender=sender(), text="asdf qwer", intent="nlu_fallback")
    assert not call(action_server.url, first)["responses"][0].get("buttons")
    second = action_request(
        "action_fallback",
        sender=sender(),
        text="zxcv",
        intent="nlu_fallback",
        earlier_events=[
            user_event("asdf qwer", "nlu_fallback"),
            {"event": "action", "name": "action_fallback"},
        ],
    )
    buttons = call(action_server.url, second)["responses"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/request_human", "/affirm"]


def test_hỏi_phản_ánh_theo_số_tiếp_nhận_không_lộ_nội_dung(action_server: ActionServer) -> None:
    who = sender()
    content = "Cán bộ tiếp nhận hồ sơ ở phường hướng dẫn không rõ ràng, tôi phải đi lại ba lần"
    slots = {"feedback_content": content, "feedback_contact": "0912345678", "feedback_consent": True}
    submitted = call(
        action_server.url,
        action_request("action_submit_feedback", sender=who, text="/affirm", intent="affirm", slots=slots),
    )
    number = next(word.strip(".") for word in texts(submitted).split() if word.startswith("PA-"))
    asked = call(
        action_server.url,
        action_request(
            "action_feedback_status",
            sender=sender(),
            text=f"phản ánh {number.lower()} đến đâu rồi",
            intent="check_feedback_status",
        ),
    )
    answer = texts(asked)
    assert number in answer and "đã được tiếp nhận" in answer
    assert "0912345678" not in answer and "ba lần" not in answer
    unknown = call(
        action_server.url,
        action_request(
            "action_feedback_status",
            sender=sender(),
            text="PA-20200101-9999 sao rồi",
            intent="check_feedback_status",
        ),
    )
    assert "không tìm thấy" in texts(unknown) and "PA-20200101-9999" in texts(unknown)
    # Asked without a number in the conversation that filed it: that feedback.
    own = call(
        action_server.url,
        action_request(
            "action_feedback_status",
            sender=who,
            text="phản ánh của tôi đến đâu rồi",
            intent="check_feedback_status",
            slots={"filed_feedback_code": number},
        ),
    )
    assert number in texts(own) and "đã được tiếp nhận" in texts(own)


def test_phản_ánh_kể_rõ_sự_việc_ngay_câu_đầu_thì_không_bị_hỏi_lại_nội_dung(
    action_server: ActionServer,
) -> None:
    def opening(text: str) -> dict:
        body = action_request(
            "validate_feedback_form",
            sender=sender(),
            text=text,
            intent="submit_feedback",
            active_loop="feedback_form",
        )
        return call(action_server.url, body)

    told = "toi muon phan anh can bo xa lam viec cham, hen toi 3 lan chua xong"
    noted = opening(told)
    assert slot_events(noted)["feedback_content"] == told and "Tôi đã ghi lại nội dung" in texts(noted)
    # A topic alone is no account: the content is asked as before.
    assert "feedback_content" not in slot_events(opening("tôi muốn phản ánh về thái độ cán bộ"))
    # More of the account, typed when the contact is asked, is added to the content, not lost.
    more = "Ngày 10/11 tôi nộp hồ sơ tách thửa, cán bộ yêu cầu bổ sung 3 lần, mỗi lần một loại giấy khác"
    body = action_request(
        "validate_feedback_form",
        sender=sender(),
        text=more,
        intent="inform",
        active_loop="feedback_form",
        slots={"requested_slot": "feedback_contact", "feedback_content": told},
        slots_just_set={"feedback_contact": more},
    )
    added = call(action_server.url, body)
    assert slot_events(added)["feedback_content"] == f"{told}\n{more}"
    assert slot_events(added)["feedback_contact"] is None and "ghi thêm" in texts(added)
