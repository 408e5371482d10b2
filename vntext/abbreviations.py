"""Abbreviations and everyday names citizens type, mapped to the terms the official catalogue uses.

Keys are written in normalised form (lowercase, NFC, canonical tone placement); each key with
diacritics also matches its accent-stripped spelling (``so do`` → sổ đỏ) unless that spelling is
listed in ``_AMBIGUOUS_WITHOUT_ACCENTS``. Matching is on whole words and longest first, so
"bằng lái xe máy" becomes "giấy phép lái xe máy", never "giấy phép lái xe xe máy".
"""

from __future__ import annotations

import re

from vntext.normalize import normalize, strip_accents

__all__ = ["ABBREVIATIONS", "expand_abbreviations"]

_ID_CARD = "căn cước"
_LAND_CERTIFICATE = "giấy chứng nhận quyền sử dụng đất"
_DRIVING_LICENCE = "giấy phép lái xe"
_MARITAL_STATUS = "xác nhận tình trạng hôn nhân"
_VEHICLE_REGISTRATION = "giấy chứng nhận đăng ký xe"

_TERMS: dict[str, str] = {
    # Identity card: the 2023 Law on Identification renamed every earlier card "căn cước".
    "cccd": _ID_CARD,
    "căn cước công dân": _ID_CARD,
    "thẻ cccd": "thẻ căn cước",
    "thẻ căn cước công dân": "thẻ căn cước",
    "cmnd": _ID_CARD,
    "cmt": _ID_CARD,
    "cmtnd": _ID_CARD,
    "chứng minh nhân dân": _ID_CARD,
    "chứng minh thư": _ID_CARD,
    "giấy chứng minh nhân dân": _ID_CARD,
    # Driving licence and vehicle papers.
    "gplx": _DRIVING_LICENCE,
    "blx": _DRIVING_LICENCE,
    "bằng lái": _DRIVING_LICENCE,
    "bằng lái xe": _DRIVING_LICENCE,
    # Passing the driving test is how a licence is first issued ("cấp"); "sát hạch" would point at the
    # procedures of the test centres instead.
    "thi bằng lái": "cấp " + _DRIVING_LICENCE,
    "thi bằng lái xe": "cấp " + _DRIVING_LICENCE,
    "sang tên xe": "đăng ký xe thay đổi chủ xe",
    # Selling or giving land is registered as a change ("biến động") of the land-use right.
    "sang tên sổ đỏ": "đăng ký biến động chuyển nhượng quyền sử dụng đất",
    "sang tên sổ hồng": "đăng ký biến động chuyển nhượng quyền sử dụng đất",
    "sang tên nhà đất": "đăng ký biến động chuyển nhượng quyền sử dụng đất",
    "sang tên đất": "đăng ký biến động chuyển nhượng quyền sử dụng đất",
    "cà vẹt": _VEHICLE_REGISTRATION,
    "cà vẹt xe": _VEHICLE_REGISTRATION,
    "cavet": _VEHICLE_REGISTRATION,
    "cavet xe": _VEHICLE_REGISTRATION,
    "đkx": "đăng ký xe",
    # Land.
    "sổ đỏ": _LAND_CERTIFICATE,
    "sổ hồng": _LAND_CERTIFICATE,
    "bìa đỏ": _LAND_CERTIFICATE,
    "bìa hồng": _LAND_CERTIFICATE,
    "gcn qsdđ": _LAND_CERTIFICATE,
    "gcnqsdđ": _LAND_CERTIFICATE,
    "qsdđ": "quyền sử dụng đất",
    "gcn": "giấy chứng nhận",
    # Residence: the household register (hộ khẩu) was replaced by permanent-residence registration.
    "hộ khẩu": "thường trú",
    "hộ khẩu thường trú": "thường trú",
    "sổ hộ khẩu": "thường trú",
    "nhập hộ khẩu": "đăng ký thường trú",
    "cắt hộ khẩu": "xóa đăng ký thường trú",
    "cắt khẩu": "xóa đăng ký thường trú",
    "kt3": "tạm trú",
    # Civil status.
    # "làm" (make) a document is what the catalogue calls issuing it ("cấp").
    "làm lại": "cấp lại",
    "làm căn cước": "cấp thẻ căn cước",
    "làm cccd": "cấp thẻ căn cước",
    "làm thẻ căn cước": "cấp thẻ căn cước",
    # Citizens "ask for" (xin) a permit; the catalogue "issues" (cấp) it.
    "xin giấy phép": "cấp giấy phép",
    "xin cấp": "cấp",
    "làm hộ chiếu": "cấp hộ chiếu",
    "làm sổ đỏ": "cấp " + _LAND_CERTIFICATE,
    "làm sổ hồng": "cấp " + _LAND_CERTIFICATE,
    "làm giấy khai sinh": "đăng ký khai sinh",
    "làm khai sinh": "đăng ký khai sinh",
    "gks": "giấy khai sinh",
    "làm giấy khai tử": "đăng ký khai tử",
    "làm giấy chứng tử": "đăng ký khai tử",
    "làm khai tử": "đăng ký khai tử",
    "giấy chứng tử": "khai tử",
    "làm giấy đăng ký kết hôn": "đăng ký kết hôn",
    "làm giấy kết hôn": "đăng ký kết hôn",
    "xnttHN": _MARITAL_STATUS,
    "xác nhận độc thân": _MARITAL_STATUS,
    "giấy xác nhận độc thân": "giấy " + _MARITAL_STATUS,
    "giấy độc thân": "giấy " + _MARITAL_STATUS,
    "lltp": "lý lịch tư pháp",
    "lí lịch tư pháp": "lý lịch tư pháp",
    # "kí" and "ký" are both correct spellings; typed half accented, "đăng ki".
    "đăng ki": "đăng ký",
    "lí lịch": "lý lịch",
    # Insurance, tax, business.
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "bhtn": "bảo hiểm thất nghiệp",
    "mst": "mã số thuế",
    "tncn": "thu nhập cá nhân",
    "gtgt": "giá trị gia tăng",
    "hđđt": "hóa đơn điện tử",
    "attp": "an toàn thực phẩm",
    "vsattp": "vệ sinh an toàn thực phẩm",
    "tnlđ": "tai nạn lao động",
    # Shortened in the catalogue's own names ("… trợ cấp nghỉ DSPHSK sau ốm đau, thai sản, TNLĐ, BNN").
    "bnn": "bệnh nghề nghiệp",
    "dsphsk": "dưỡng sức phục hồi sức khỏe",
    "bhtnlđ": "bảo hiểm tai nạn lao động",
    "tndn": "thu nhập doanh nghiệp",
    "ttđb": "tiêu thụ đặc biệt",
    "nhnn": "ngân hàng nhà nước",
    "kbnn": "kho bạc nhà nước",
    "kcb": "khám chữa bệnh",
    "cqt": "cơ quan thuế",
    "đkdn": "đăng ký doanh nghiệp",
    "irc": "giấy chứng nhận đăng ký đầu tư",
    "erc": "giấy chứng nhận đăng ký doanh nghiệp",
    "đkkd": "đăng ký kinh doanh",
    "gpkd": "đăng ký kinh doanh",
    "giấy phép kinh doanh": "giấy chứng nhận đăng ký kinh doanh",
    "hkd": "hộ kinh doanh",
    # The household business was called "hộ kinh doanh cá thể" before 2004; people still say so.
    "hộ cá thể": "hộ kinh doanh",
    "hộ kinh doanh cá thể": "hộ kinh doanh",
    "mở hộ kinh doanh": "đăng ký thành lập hộ kinh doanh",
    "mở công ty": "thành lập doanh nghiệp",
    "mở doanh nghiệp": "thành lập doanh nghiệp",
    "htx": "hợp tác xã",
    "dn": "doanh nghiệp",
    "cty": "công ty",
    "tnhh": "trách nhiệm hữu hạn",
    # Construction, other.
    "gpxd": "giấy phép xây dựng",
    "pccc": "phòng cháy chữa cháy",
    "nvqs": "nghĩa vụ quân sự",
    "passport": "hộ chiếu",
    "visa": "thị thực",
    "evisa": "thị thực điện tử",
    "e-visa": "thị thực điện tử",
    # Administration.
    "tthc": "thủ tục hành chính",
    "dvc": "dịch vụ công",
    "dvcqg": "dịch vụ công quốc gia",
    "ubnd": "ủy ban nhân dân",
    "hs": "hồ sơ",
    "sđt": "số điện thoại",
    "đăng kí": "đăng ký",
    "đky": "đăng ký",
    "chữ kí": "chữ ký",
    # Chat shorthand (Zalo, Messenger).
    "ko": "không",
    "k": "không",
    "kh": "không",
    "khg": "không",
    "kô": "không",
    "hok": "không",
    "hông": "không",
    "dc": "được",
    "đc": "được",
    "bn": "bao nhiêu",
    "bnhiu": "bao nhiêu",
    "bnh": "bao nhiêu",
    "bn ơi": "bạn ơi",
    "j": "gì",
    "gi": "gì",
    "ntn": "như thế nào",
    "z": "vậy",
    "r": "rồi",
    "vs": "với",
    "mn": "mọi người",
    "trc": "trước",
    "ng": "người",
    "mk": "mình",
    "mik": "mình",
}

# Accent-stripped spellings that mean something else too often to be rewritten.
_AMBIGUOUS_WITHOUT_ACCENTS = frozenset(
    {
        "hong",  # hông / hồng / hỏng
    }
)

ABBREVIATIONS: dict[str, str] = {normalize(key): value for key, value in _TERMS.items()}


def _all_spellings() -> dict[str, str]:
    spellings = dict(ABBREVIATIONS)
    for key, value in ABBREVIATIONS.items():
        plain = strip_accents(key)
        if plain != key and plain not in _AMBIGUOUS_WITHOUT_ACCENTS:
            spellings.setdefault(plain, value)
    return spellings


_SPELLINGS = _all_spellings()
# Single letters after a number ("50 k" = 50 nghìn) or in a legal reference ("điểm k khoản 1")
# are not chat shorthand.
_LETTER_KEYS = frozenset(key for key in _SPELLINGS if len(key) == 1)
_LETTER_CONTEXT = re.compile(r"(?:\d|(?<!\w)(?:điểm|diem|mục|muc|phụ lục|phu luc))\s*$")
_PATTERN = re.compile(
    r"(?<![\w.@/-])("
    + "|".join(re.escape(key) for key in sorted(_SPELLINGS, key=len, reverse=True))
    + r")(?![\w@/-]|\.\w)",
    re.IGNORECASE,
)


def expand_abbreviations(text: str) -> str:
    """Replace abbreviations and everyday names with official terms, in normalised text.

    Expects NFC text with canonical tone placement, ideally ``normalize(text)``; case does not
    matter, and it works with and without diacritics:
    "lam cccd het bn tien" → "lam căn cước het bao nhiêu tien".
    """

    def replace(match: re.Match[str]) -> str:
        key = match.group(1).lower()
        if key in _LETTER_KEYS and _LETTER_CONTEXT.search(text, 0, match.start()):
            return match.group(1)
        return _SPELLINGS[key]

    return _PATTERN.sub(replace, text)
