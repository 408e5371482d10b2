"""Whether a message speaks of a dossier already filed (its status, its result, news of it).

Citizens name procedures with "hồ sơ" in them ("làm hồ sơ hưởng chế độ tai nạn lao động thế nào"), and
a classifier trained on "hồ sơ của tôi đến đâu rồi" takes some of them for a status question, which
then asks for a receipt code the citizen never had. A question about a filed dossier carries some
sign of it: a receipt code, or words about its progress, result, receipt or news ("tra cứu", "đến
đâu", "xong chưa", "kết quả", "được duyệt", "bổ sung", "báo cho tôi"…). The words are read on the
accent-stripped, lowercased text, so they match with and without diacritics.
"""

from __future__ import annotations

import re

from vntext.dossier_codes import find_dossier_codes, looks_like_attempted_code
from vntext.normalize import normalize, strip_accents

__all__ = ["speaks_of_a_dossier"]

_CUES = re.compile(
    r"\b(?:"
    # Looking it up and its progress.
    r"tra cuu|tra|check|kiem tra|xem|theo doi|tinh trang|trang thai|tien do|den dau|toi dau|"
    r"khau nao|buoc nao|o dau roi|the nao roi|sao roi|chua|xong|lau|"
    # What happened to it.
    # ("bổ sung" of a dossier, not "ngân hàng bắt bổ sung giấy xác nhận", which asks for a procedure.)
    r"ket qua|duyet|xu ly|tiep nhan|nhan duoc|"
    r"(?:yeu cau|can|phai|bi|duoc|da|de) bo sung|bo sung (?:ho so|them|gi)|"
    r"tra lai|tra ve|qua han|tre|cham|dung|rut|"
    r"cho ky|ky chua|giay hen|hen tra|"
    # Which one: a receipt, the citizen's own.
    r"ma ho so|ma so ho so|ma bien nhan|bien nhan|so ho so|da nop|nop roi|vua nop|nop tu|"
    r"ho so (?:cua |nha )?(?:toi|em|minh|anh|chi|con|bo|me|vo|chong|ong|ba)|"
    # News of it.
    # ("báo cho ai" asks whom a procedure is reported to, not for news.)
    r"bao (?:cho(?! ai\b)|giup|tin|toi|em|minh|ngay|nha|nhe|voi|nua)|bao$|duoc bao|thong bao|nhan tin|"
    r"nhan cho|"
    r"nhan toi|nhac|tin|cap nhat|thay doi gi|gi moi"
    r")\b"
)


def speaks_of_a_dossier(text: str) -> bool:
    """True when the message carries a receipt code (or an attempt at one) or words about a filed
    dossier's progress, result or news."""
    if find_dossier_codes(text) or looks_like_attempted_code(text):
        return True
    return bool(_CUES.search(strip_accents(normalize(text)).lower()))
