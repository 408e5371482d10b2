"""Situations citizens describe, mapped to the catalogue's wording for the search (query expansion).

``abbreviations`` rewrites a word for another ("sổ đỏ" → "giấy chứng nhận quyền sử dụng đất"). Here a
message that *describes* a need in everyday words ("đổi tên cho con", "lên thổ cư", "bấm biển xe mới",
"tách sổ") gets the official name of that need appended, so both the citizen's words and the
catalogue's can match. Patterns are read on the accent-stripped, lowercased text (typed with or without
diacritics alike); a rule may name words that rule it out ("đổi tên công ty" is not civil status).
The table was chosen on the tune part of our evaluation set only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vntext.normalize import normalize, strip_accents

__all__ = ["EVERYDAY", "expand_everyday"]


@dataclass(frozen=True)
class Situation:
    when: re.Pattern[str]
    official: str
    unless: re.Pattern[str] | None = None


def _rule(when: str, official: str, unless: str | None = None) -> Situation:
    return Situation(re.compile(when), official, re.compile(unless) if unless else None)


_LAND_WORDS = "so do|so hong|bia do|bia hong|giay chung nhan quyen su dung dat"
_LAND = rf"\b(?:{_LAND_WORDS})\b"
EVERYDAY: tuple[Situation, ...] = (
    # Civil status: a name, birth date, hometown or ethnicity changed or corrected.
    _rule(
        r"\b(?:doi|sua|thay doi|cai chinh|bo sung|ghi sai|bi sai|sai)\b.{0,30}"
        r"\b(?:ho ten|ten dem|ten|ho|ngay sinh|que quan|dan toc|gioi tinh)\b|\bcai chinh\b",
        "thay đổi, cải chính, bổ sung thông tin hộ tịch",
        r"\b(?:cong ty|doanh nghiep|chi nhanh|ho kinh doanh|hop tac xa|so do|so hong|giay chung nhan|"
        r"can cuoc|cccd|ho chieu|xe|thue|ma so)\b",
    ),
    _rule(r"\bdoc than\b", "xác nhận tình trạng hôn nhân"),
    # Identity card: renewed at 25, 40, 60 or when the data changed.
    _rule(
        r"\bdoi\b.{0,20}\b(?:can cuoc|cccd)\b|\b(?:can cuoc|cccd)\b.{0,30}\bhet han\b",
        "cấp đổi thẻ căn cước",
        r"\b(?:cap lai|mat|that lac|ma so thue|mst|thue)\b",
    ),
    # Land.
    _rule(
        r"\b(?:len|chuyen|sang|thanh) (?:dat )?(?:tho cu|dat o)\b|\bchuyen (?:doi )?muc dich\b",
        "giao đất, cho thuê đất, chuyển mục đích sử dụng đất",
    ),
    _rule(rf"\b(?:tach|hop|chia) (?:thua|so|{_LAND_WORDS})\b", "tách thửa hoặc hợp thửa đất"),
    _rule(
        r"\bxoa (?:dang ky )?the chap\b|\bgiai chap\b|\bxoa the chap\b",
        "xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất",
    ),
    _rule(
        r"\bthe chap\b",
        "đăng ký biện pháp bảo đảm bằng quyền sử dụng đất",
        r"\bxoa (?:dang ky )?the chap\b|\bgiai chap\b",
    ),
    _rule(
        rf"\bmat (?:{_LAND_WORDS})\b|{_LAND}.{{0,20}}\b(?:bi mat|mat roi|that lac|bi chay|chay mat)\b",
        "cấp lại giấy chứng nhận do bị mất",
    ),
    # Vehicles.
    _rule(
        r"\bbam bien\b|\bxe (?:may |o to |oto )?moi mua\b|\bmua (?:xe|o to|oto)(?: may)? moi\b|"
        r"\bdang ky xe (?:may |o to |oto )?moi\b",
        "đăng ký, cấp biển số xe lần đầu",
        r"\bbien (?:so )?tam\b|\btam thoi\b",
    ),
    _rule(
        r"\bmua (?:lai )?(?:xe|o to|oto)\b.{0,25}\b(?:cu|cua nguoi|nguoi quen)\b|\bsang ten\b.{0,10}\bxe\b",
        "cấp chứng nhận đăng ký xe, biển số xe thay đổi chủ xe",
    ),
    _rule(
        r"\bban xe\b|\bda ban\b.{0,20}\b(?:xe|o to|oto)\b|"
        r"\bxe\b.{0,10}\b(?:hong nat|hu hong nang|thanh ly)\b|\bnop lai (?:dang ky|bien)",
        "thu hồi giấy chứng nhận đăng ký, biển số xe",
    ),
    _rule(r"\bbien (?:so )?tam\b|\bxe\b.{0,20}\btam thoi\b", "đăng ký xe tạm thời"),
    _rule(r"\btruoc ba\b.{0,20}\b(?:xe|o to|oto)\b", "khai lệ phí trước bạ tài sản khác"),
    # Tax.
    _rule(
        r"\b(?:ma so thue|mst) ca nhan\b",
        "đăng ký thuế lần đầu đối với người nộp thuế là cá nhân",
        r"\b(?:khoi phuc|cham dut|dong|thay doi|cap nhat|mat|nguoi nha)\b",
    ),
    _rule(
        r"\b(?:quyet toan|hoan) thue\b.{0,30}\b(?:tncn|thu nhap ca nhan|luong)\b|"
        r"\b(?:tncn|thu nhap ca nhan)\b.{0,20}\b(?:quyet toan|hoan thue)\b|"
        r"\bhoan thue (?:tncn|thu nhap ca nhan)\b",
        "khai quyết toán thuế, hoàn thuế đối với cá nhân có thu nhập từ tiền lương, tiền công",
    ),
    # Certification (chứng thực) at the commune.
    _rule(
        r"\bsao y\b|"
        r"\b(?:cong chung|chung thuc|photo)\b.{0,30}\b(?:ban sao|bang|hoc ba|cccd|can cuoc|ban chinh)\b",
        "chứng thực bản sao từ bản chính giấy tờ, văn bản",
        r"\bhop dong\b|\bban dich\b|\bchu ky\b",
    ),
    _rule(
        r"\b(?:cong chung|chung thuc)\b.{0,25}\bhop dong\b",
        "chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
    ),
    # Social insurance and police licences.
    _rule(r"\b(?:tro cap |che do )?tuat\b|\bmai tang phi\b", "giải quyết hưởng chế độ tử tuất"),
    _rule(
        r"\b(?:karaoke|cam do|nha nghi|khach san|vu truong|quan bar)\b|\b(?:an ninh trat tu|antt)\b",
        "cấp mới giấy chứng nhận đủ điều kiện về an ninh, trật tự",
        r"\b(?:cap doi|cap lai|doi giay)\b",
    ),
)


def _fold(text: str) -> str:
    return " ".join(strip_accents(normalize(text)).lower().split())


def expand_everyday(text: str) -> str:
    """``text`` followed by the official name of each situation it describes (unchanged if none)."""
    folded = _fold(text)
    added = [
        s.official
        for s in EVERYDAY
        if s.when.search(folded) and not (s.unless is not None and s.unless.search(folded))
    ]
    return f"{text} {'. '.join(dict.fromkeys(added))}" if added else text
