"""Whether a message voices feedback: a complaint, a suggestion, a fault to report.

"công chứng photo bằng tốt nghiệp ở UBND xã bao nhiêu tiền 1 trang" or "xe máy cũ hỏng nát, muốn hủy
đăng ký nộp lại biển số" ask about a procedure, yet the classifier sometimes ranks ``submit_feedback``
first — and the citizen is asked for the content of a complaint they never meant to file. Feedback
carries some sign of itself: its own words (phản ánh, kiến nghị, khiếu nại, góp ý, tố cáo, đánh giá),
or what it is about — an officer's conduct (thái độ, hách dịch, nhũng nhiễu, gây khó dễ, đòi tiền), a
delay (trễ hẹn, chậm, chờ cả buổi, hẹn đi hẹn lại), a refusal or a demand beyond the rules, a system
or a machine at fault (bị lỗi, bị hỏng, máy bận), dissatisfaction (không hài lòng, bức xúc). Read on
the accent-stripped, lowercased text, so they match with and without diacritics.
"""

from __future__ import annotations

import re

from vntext.normalize import normalize, strip_accents

__all__ = ["could_be_feedback", "voices_feedback"]

_CUES = re.compile(
    r"\b(?:"
    # Feedback by name.
    r"phan anh|kien nghi|khieu nai|gop y|to cao|y kien|danh gia|de xuat|bao lai|"
    # An officer's conduct.
    r"thai do|hanh vi|hach dich|hach sach|nhung nhieu|gay kho|lam kho|kho de|kho chiu|coc loc|tho lo|"
    r"doi tien|voi tien|voi vinh|vong vinh|bi doi|tieu cuc|boi duong|"
    # Delays and waiting.
    # ("chậm", folded "cham", is also "chăm con", "chấm dứt": only with a word of degree.)
    r"tre hen|hen di hen lai|hen nhieu lan|cham qua|rat cham|qua cham|bi cham|cham tre|cho ca|cho lau|"
    r"xep hang|"
    # Refusals, demands beyond the rules, wrong guidance.
    r"tu choi|khong ro ly do|ngoai quy dinh|khong can thiet|khong co trong quy dinh|huong dan sai|"
    r"di lai nhieu lan|"
    r"khong ai giai thich|khong giai quyet|"
    # A system or a machine at fault.
    # ("máy bận" folded is also "mấy bản": only with how long.)
    r"bi loi|bao loi|loi he thong|bi hong|may ban (?:suot|lien tuc|ca)|khong nghe may|khong nop duoc|"
    # Dissatisfaction.
    r"khong hai long|buc xuc|that vong|te qua"
    r")\b"
)


def voices_feedback(text: str) -> bool:
    """True when the message has the words of a complaint, a suggestion or a reported fault."""
    return bool(_CUES.search(strip_accents(normalize(text)).lower()))


# What a question about a procedure asks (its cost, time, papers, place, how) or a request to do one.
_ASKS_ABOUT_A_PROCEDURE = re.compile(
    r"\b(?:bao nhieu|bao lau|may ngay|o dau|the nao|ntn|lam sao|can gi|giay to gi|ho so gi|thu tuc gi|"
    r"le phi|mat phi|duoc khong|dc ko|co phai|co can|"
    r"muon (?:dang ky|lam|xin|cap|huy|doi|chuyen|nop|sang ten|khai))\b"
)


def could_be_feedback(text: str) -> bool:
    """False only for a message that asks about a procedure (its cost, time, papers, place, or to do
    it) with no word of a complaint, a suggestion or a fault: feedback worded in ways the cues do not
    know ("nhân viên nói chuyện cộc lốc") stays feedback."""
    if voices_feedback(text):
        return True
    return not _ASKS_ABOUT_A_PROCEDURE.search(strip_accents(normalize(text)).lower())
