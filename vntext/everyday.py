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
# What a business already set up asks for: none of these is setting one up.
_CHANGES = (
    "thay doi|cap nhat|bo sung|dung|tam ngung|cham dut|cap lai|cap doi|thue|giai the|hieu dinh|chuyen doi|"
    "dia diem"
)
_MOVABLES = r"\b(?:xe|o to|oto|may moc|day chuyen|hang hoa|dong san|tau|thiet bi)\b"
EVERYDAY: tuple[Situation, ...] = (
    # Civil status: a name, birth date, hometown or ethnicity changed or corrected.
    _rule(
        r"\b(?:doi|sua|thay doi|cai chinh|bo sung|ghi sai|bi sai|sai)\b.{0,30}"
        r"\b(?:ho ten|ten dem|ten|ho|ngay sinh|que quan|dan toc|gioi tinh)\b|\bcai chinh\b",
        "thay đổi, cải chính, bổ sung thông tin hộ tịch",
        r"\b(?:cong ty|doanh nghiep|chi nhanh|ho kinh doanh|hop tac xa|so do|so hong|giay chung nhan|"
        r"can cuoc|cccd|ho chieu|xe|thue|ma so|cu tru|dan cu|vneid|dat|dat dai|bien dong|thua|bhxh|bhyt|"
        r"bao hiem)\b|"
        # A street, a village or a school renamed is no person's civil status.
        r"\bten (?:duong|pho|xa|phuong|thon|ap|lang|truong|to dan pho)\b",
    ),
    # A certificate of no criminal record is the criminal-record certificate.
    _rule(r"\btien an\b|\btien su\b(?! dung)", "cấp phiếu lý lịch tư pháp"),
    _rule(r"\bdoc than\b", "xác nhận tình trạng hôn nhân"),
    # The death certificate people ask for ("giấy báo tử", "chứng tử") comes with registering the death.
    _rule(
        r"\bgiay (?:bao tu|chung tu)\b",
        "đăng ký khai tử",
        # A copy, or one lost with the register, is another procedure.
        r"\b(?:ban sao|trich luc|sao y|bi mat|that lac|mat het|khong con|lam lai|dang ky lai|cap lai)\b",
    ),
    # A father or mother recognised for a child already registered.
    _rule(
        r"\bnhan (?:cha|me|bo|con)\b|\b(?:ghi|them|bo sung) (?:ten )?(?:bo|cha)\b.{0,15}\bkhai sinh\b",
        "đăng ký nhận cha, mẹ, con",
        r"\bcon nuoi\b|\bnuoi con\b",
    ),
    # A lost or damaged birth certificate is replaced by a copy from the register (unless the register
    # is gone too: that is registering again).
    _rule(
        r"\b(?:mat|that lac|lam lai|cap lai|xin lai|hong|rach)\b.{0,25}\bkhai sinh\b|"
        r"\bkhai sinh\b.{0,25}\b(?:bi mat|that lac|bi hong|bi rach|mat roi)\b",
        "cấp bản sao trích lục hộ tịch, bản sao giấy khai sinh",
        r"\bso (?:ho tich|goc)\b|\bkhong con\b",
    ),
    # An extract of a death, marriage or other civil-status record ("trích lục khai tử") is a copy from
    # the register; certifying a copy one already has is another procedure.
    _rule(
        r"\btrich luc\b|\bban sao\b.{0,15}\b(?:giay )?(?:khai tu|chung tu|ket hon|dang ky ket hon)\b|"
        r"\b(?:giay )?(?:khai tu|chung tu|ket hon|dang ky ket hon)\b.{0,10}\bban sao\b|"
        # A marriage certificate lost or torn is replaced by an extract from the register ("mất" next to
        # a death certificate is mostly someone's death).
        r"\b(?:mat|that lac|cap lai|xin lai)(?: ban)? (?:giay|chung nhan) (?:dang ky )?ket hon\b|"
        r"\b(?:giay|chung nhan) (?:dang ky )?ket hon\b.{0,20}\b(?:bi mat|mat roi|that lac|bi hong|bi rach)\b",
        "cấp bản sao trích lục hộ tịch",
        # Unless the register is gone too: that is registering again.
        r"\b(?:chung thuc|cong chung|sao y|photo|ghi vao so|ghi chu|khong con|dang ky lai|lam lai viec)\b|"
        r"\bso (?:ho tich|goc|luu)\b",
    ),
    # A lost passport is first reported lost (the report also cancels it); a new one is applied for after.
    _rule(
        r"\b(?:mat|that lac|danh roi|bi trom)\b.{0,20}\bho chieu\b|"
        r"\bho chieu\b.{0,20}\b(?:bi mat|mat roi|that lac)\b",
        "trình báo mất hộ chiếu phổ thông",
        r"\b(?:tem|ngoai giao|cong vu)\b",
    ),
    # A passport without another need (lost, restored, the travel stamp) is the ordinary passport.
    _rule(
        r"\bho chieu\b",
        "cấp hộ chiếu phổ thông",
        r"\b(?:mat|that lac|trinh bao|khoi phuc|tem|huy|ngoai giao|cong vu|bi giu|thu hoi)\b",
    ),
    # The household book is no longer issued (since 2023): residence is proved by its confirmation.
    _rule(
        r"\b(?:cap lai|lam lai|xin lai|mat|that lac|thay|doi)\b.{0,10}\bso ho khau\b|"
        r"\bso ho khau\b.{0,20}\b(?:bi mat|mat roi|that lac|bi thu hoi|bi hong|bi rach)\b",
        "xác nhận thông tin về cư trú",
    ),
    _rule(
        r"\bxac nhan noi (?:cu tru|thuong tru|tam tru|o)\b|\bxac nhan (?:thuong tru|tam tru)\b|"
        r"\bchung minh (?:noi (?:o|cu tru|thuong tru|tam tru)|cho o|dia chi|cu tru)\b|"
        r"\b(?:giay|so) (?:ho khau|xac nhan cu tru)\b.{0,30}\b(?:thu hoi|bo|khong con|het gia tri)\b",
        "xác nhận thông tin về cư trú",
        r"\bnuoc ngoai\b",
    ),
    # Papers added to the chip card or the VNeID app are integrated into the identity card's data.
    _rule(
        r"\btich hop\b.{0,40}\b(?:vneid|can cuoc|cccd|the can cuoc)\b",
        "tích hợp, cập nhật, điều chỉnh thông tin trên thẻ căn cước",
    ),
    # Wrong data on the identity card is corrected on the card.
    _rule(
        r"\b(?:sua|sai|dieu chinh)\b.{0,30}\b(?:can cuoc|cccd)\b|"
        r"\b(?:can cuoc|cccd)\b.{0,30}\b(?:bi sai|ghi sai|sai thong tin|sai ngay|sai nam|sai ten)\b",
        "cấp đổi thẻ căn cước, điều chỉnh thông tin trên thẻ căn cước",
        # The card's number written wrong on another paper ("sổ hồng ghi sai số căn cước") is that paper's.
        rf"\b(?:cap lai|mat|that lac|ma so thue|mst|thue|sinh trac|adn|giong noi|van tay|mong mat|"
        rf"dinh chinh|{_LAND_WORDS})\b",
    ),
    # "Nhập khẩu" into a family's household is registering permanent residence there (not importing).
    _rule(
        r"\bnhap (?:ho )?khau\b.{0,5}\b(?:cho|ve|vao|theo|o)\b|\bnhap ho khau\b|"
        r"\b(?:cho|xin) (?:con |vo |chong |me |bo )?nhap (?:ho )?khau\b",
        "đăng ký thường trú",
        r"\b(?:hang|hang hoa|xe|o to|may|thiet bi|thuoc|giong|hai quan|thue|tam nhap|xuat khau|lao dong)\b",
    ),
    # Wrong data in the residence database is corrected there, not in the civil-status register.
    _rule(
        r"\b(?:sai|sua|dieu chinh|cap nhat)\b.{0,40}\b(?:du lieu|thong tin) (?:ve )?cu tru\b|"
        r"\b(?:co so du lieu|du lieu|thong tin) (?:ve )?cu tru\b.{0,30}\b(?:sai|sua|dieu chinh)\b",
        "điều chỉnh thông tin về cư trú trong cơ sở dữ liệu về cư trú",
    ),
    # Wrong data in the national population database (seen in VNeID) is corrected in that database.
    _rule(
        r"(?=.*\b(?:du lieu (?:quoc gia )?(?:ve )?dan cu|csdl (?:quoc gia )?(?:ve )?dan cu|vneid)\b)"
        r"(?=.*\b(?:sai|sua|dieu chinh|cap nhat|khac)\b)",
        "điều chỉnh thông tin trong cơ sở dữ liệu quốc gia về dân cư",
        r"\btich hop\b",
    ),
    # Leaving a household to form one's own at the same address.
    _rule(r"\btach (?:so )?(?:ho khau|khau|ho)\b", "tách hộ", r"\bho kinh doanh\b"),
    # Moving house is registering the new permanent residence.
    _rule(
        r"(?=.*\b(?:chuyen nha|don nha|chuyen cho o|chuyen den o|chuyen ve o|doi cho o)\b)"
        r"(?=.*\b(?:dang ky|ho khau|nhap khau|thuong tru|cu tru|phuong|xa|tinh|huyen)\b)",
        "đăng ký thường trú",
        r"\b(?:tam tru|xe|doanh nghiep|cong ty|tru so)\b",
    ),
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
    _rule(
        rf"\b(?:tach|hop|chia|gop)(?: (?:\d+|hai|ba|cac|nhieu|lai))? (?:thua|so|{_LAND_WORDS})\b",
        "tách thửa hoặc hợp thửa đất",
        # Social-insurance books are merged too; a household book is split ("tách hộ").
        r"\b(?:bao hiem|bhxh|bhyt|ho khau|tiet kiem)\b",
    ),
    # A certificate printed wrong is corrected; the owner's name or details changed is a change registered.
    _rule(
        rf"\b(?:sai|nham|sai sot|in sai|ghi sai|viet sai)\b.{{0,30}}{_LAND}|"
        rf"{_LAND}.{{0,30}}\b(?:bi sai|sai sot|ghi sai|in sai|ghi nham|bi nham)\b",
        "đính chính giấy chứng nhận đã cấp",
    ),
    _rule(
        rf"\b(?:doi|thay doi|cap nhat|sua)\b.{{0,15}}"
        rf"\b(?:ten|ho ten|thong tin|dia chi|so can cuoc|so cccd|so cmnd|cccd|can cuoc)\b.{{0,25}}{_LAND}",
        "đăng ký biến động đổi tên hoặc thay đổi thông tin về người sử dụng đất",
        r"\b(?:sai|nham|sai sot)\b",
    ),
    _rule(
        r"\bxoa (?:dang ky )?the chap\b|\bgiai chap\b|\bxoa the chap\b",
        "xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất",
        _MOVABLES,
    ),
    _rule(
        r"\bthe chap\b",
        "đăng ký biện pháp bảo đảm bằng quyền sử dụng đất",
        rf"\bxoa (?:dang ky )?the chap\b|\bgiai chap\b|{_MOVABLES}",
    ),
    # A car, machines or goods pledged to a bank: security over movable property, not land.
    _rule(
        rf"(?=.*\b(?:the chap|cam co|bao dam)\b)(?=.*{_MOVABLES})",
        "đăng ký biện pháp bảo đảm bằng động sản",
        r"\bxoa (?:dang ky )?the chap\b|\bgiai chap\b|\btra cuu\b|\bkiem tra\b",
    ),
    _rule(
        rf"(?=.*\b(?:xoa (?:dang ky )?the chap|giai chap)\b)(?=.*{_MOVABLES})",
        "xóa đăng ký biện pháp bảo đảm bằng động sản",
    ),
    _rule(
        r"\b(?:tra cuu|kiem tra|xem)\b.{0,40}\b(?:the chap|cam co)\b",
        "cung cấp thông tin về biện pháp bảo đảm",
    ),
    _rule(
        rf"\bmat (?:{_LAND_WORDS})\b|{_LAND}.{{0,20}}\b(?:bi mat|mat roi|that lac|bi chay|chay mat)\b",
        "cấp lại giấy chứng nhận do bị mất",
    ),
    # Land that never had a certificate gets its first one (a plot bought by a handwritten paper has
    # its own procedure).
    _rule(
        rf"\b(?:dat|mieng dat|manh dat|thua dat|nha dat)\b.{{0,40}}\bchua (?:co|duoc cap|lam|duoc lam) "
        rf"(?:so|{_LAND_WORDS})\b|\b(?:lam|cap|xin cap|xin) (?:{_LAND_WORDS}|so) lan dau\b",
        "đăng ký đất đai, cấp giấy chứng nhận quyền sử dụng đất lần đầu",
        r"\b(?:giay tay|mua|to chuc|cong ty|doanh nghiep|tranh chap|nha nuoc|cong dong|mo rong duong)\b",
    ),
    # Land sold, given or inherited in the family is registered as a change of its right.
    _rule(
        rf"\bsang ten\b.{{0,20}}\b(?:dat|nha|{_LAND_WORDS})\b|"
        # A plot or a house bought, to be put in the buyer's name ("mua mảnh đất của người quen … sang tên").
        rf"(?=.*\b(?:mua|ban)\b.{{0,15}}\b(?:dat|mieng dat|manh dat|thua dat|nha|can nha|{_LAND_WORDS})\b)"
        r"(?=.*\b(?:sang ten|dung ten|chuyen ten)\b)|"
        r"\b(?:tang cho|cho con|cho chau|de lai cho)\b.{0,10}\b(?:dat|mieng dat|manh dat|thua dat|nha dat)\b|"
        r"\bthua ke\b.{0,25}\b(?:dat|nha|quyen su dung)\b|"
        # "sổ đỏ đứng tên bố đã mất, giờ muốn sang tên cho các con".
        rf"{_LAND}.{{0,40}}\bsang ten\b|"
        r"\bchuyen nhuong\b.{0,25}\b(?:dat|mieng dat|manh dat|thua dat|nha dat|quyen su dung dat)\b",
        "đăng ký biến động quyền sử dụng đất: chuyển nhượng, thừa kế, tặng cho",
        # Land bought by a handwritten paper long ago and never transferred has its own procedure.
        r"\b(?:nha nuoc|cong dong|mo rong duong|xe|giay tay|chua sang ten|chung thuc|cong chung)\b|"
        r"(?<!truong )\b(?:hop|tach|gop) (?:\d+ |hai |cac )?thua\b(?! ke)",
    ),
    # "Hoàn công": a house built is added to the land certificate.
    _rule(
        rf"\bhoan cong\b|"
        rf"\b(?:bo sung|cap nhat|dua|ghi) (?:them )?nha\b.{{0,15}}\b(?:vao )?(?:{_LAND_WORDS})\b",
        "đăng ký tài sản gắn liền với thửa đất đã được cấp giấy chứng nhận",
    ),
    # A certificate torn, blurred or worn is exchanged, not replaced as lost.
    _rule(
        rf"{_LAND}.{{0,25}}\b(?:rach|hong|nhoe|bi o|o vang|mo chu|bac mau|cu nat|nat)\b|"
        rf"\b(?:doi|cap doi|doi lai) (?:{_LAND_WORDS})\b",
        "cấp đổi giấy chứng nhận quyền sử dụng đất",
        rf"\b(?:bi mat|mat roi|that lac|sang ten|chuyen nhuong)\b|\bmat (?:{_LAND_WORDS})\b",
    ),
    # Vehicles.
    _rule(
        r"\bbam bien\b|\bxe (?:may |o to |oto )?moi mua\b|\bmua (?:xe|o to|oto)(?: may)? moi\b|"
        r"\bdang ky xe (?:may |o to |oto )?moi\b|"
        # Registering a vehicle, said alone or with the question only, is its first registration.
        r"\b(?:lam|dang k[yi]) (?:xe may dien|xe may|xe o to|o to|oto|xe dien)"
        r"(?=$| (?:can|o|mat|bao|het|le|thu|nhu|the|lam|gom|tai|nop|thi|a|nhe|phai|co|cho|cua)\b)",
        "đăng ký, cấp biển số xe lần đầu",
        r"\bbien (?:so )?tam\b|\btam thoi\b",
    ),
    _rule(
        r"\bmua (?:lai )?(?:xe|o to|oto)\b.{0,25}\b(?:cu|cua nguoi|nguoi quen)\b|\bsang ten\b.{0,10}\bxe\b|"
        r"\b(?:xe|o to|oto)(?: may)? (?:cu mua lai|mua lai|cu da mua)\b",
        "cấp chứng nhận đăng ký xe, biển số xe thay đổi chủ xe",
    ),
    _rule(
        r"\bban xe\b|\bda ban\b.{0,20}\b(?:xe|o to|oto)\b|"
        r"\bxe\b.{0,10}\b(?:hong nat|hu hong nang|thanh ly)\b|\bnop lai (?:dang ky|bien)",
        "thu hồi giấy chứng nhận đăng ký, biển số xe",
        # The sale paper certified at the commune is the sale, not the seller returning the plate.
        r"\b(?:chung thuc|cong chung|chu ky)\b",
    ),
    _rule(r"\bbien (?:so )?tam\b|\bxe\b.{0,20}\btam thoi\b", "đăng ký xe tạm thời"),
    # A lost or damaged registration paper or plate is issued again.
    _rule(
        r"\b(?:mat|that lac|hong|rach|cap lai|lam lai|xin lai)\b.{0,20}"
        r"\b(?:giay dang ky xe|dang ky xe|ca ?vet|bien so xe|bien so)\b|"
        r"\b(?:giay dang ky xe|ca ?vet|bien so)\b.{0,20}\b(?:bi mat|mat roi|that lac|bi hong|bi rach)\b",
        "cấp lại chứng nhận đăng ký xe, biển số xe",
        r"\b(?:kiem dinh|dang kiem|chuyen dung|tam thoi)\b",
    ),
    # A vehicle brought from another province changes its registration where its owner now lives.
    _rule(
        r"\b(?:chuyen vung|rut ho so goc|chuyen tinh|di chuyen)\b.{0,30}\b(?:xe|o to|oto)\b|"
        r"\b(?:xe|o to|oto)\b.{0,30}\b(?:chuyen vung|rut ho so goc|chuyen tinh)\b",
        "cấp chứng nhận đăng ký xe, biển số xe thay đổi chủ xe",
    ),
    # A licence called by its class ("bằng B2", "bằng A1") is the driving licence.
    _rule(r"\bbang (?:lai )?(?:hang )?(?:a1|a2|a3|a4|b1|b2|c1|d1|d2|c|d|e|fc)\b", "giấy phép lái xe"),
    # A driver's lost licence (not a driving school's licence to train).
    _rule(
        r"\b(?:cap lai|lam lai|mat|that lac|hong)\b.{0,15}\b(?:giay phep lai xe|bang lai|gplx|blx)\b|"
        r"\b(?:giay phep lai xe|bang lai|gplx|blx)\b.{0,25}\b(?:bi mat|mat roi|that lac|bi hong)\b",
        "cấp lại giấy phép lái xe",
        r"\b(?:dao tao|co so|trung tam|kinh doanh|van tai|tap lai)\b",
    ),
    # Learning to drive ends with the test that issues the licence.
    _rule(
        r"\b(?:hoc|thi) (?:lai xe|bang lai|bang|lai)\b",
        "cấp giấy phép lái xe",
        r"\b(?:giao vien|co so dao tao|trung tam|san tap|day)\b",
    ),
    # "Đăng kiểm" is what people call the roadworthiness inspection ("kiểm định") of a vehicle.
    _rule(
        r"\bdang kiem\b.{0,30}\b(?:xe|o to|oto)\b|\b(?:xe|o to|oto)\b.{0,40}\bdang kiem\b",
        "kiểm định an toàn kỹ thuật và bảo vệ môi trường xe cơ giới",
        r"\btau\b",
    ),
    # A child's birth, residence and health-insurance card done together are one joint procedure.
    _rule(
        r"^(?=.*\bkhai sinh\b)(?=.*\b(?:thuong tru|nhap khau|ho khau)\b).*\b(?:bhyt|bao hiem y te)\b",
        "liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        r"\b(?:tich hop|can cuoc|cccd|vneid)\b",
    ),
    _rule(
        r"^(?=.*\bkhai sinh\b).*\b(?:bhyt|bao hiem y te)\b",
        "liên thông đăng ký khai sinh, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
        # Papers added to the identity card are integrated into it, not registered.
        r"\b(?:thuong tru|nhap khau|ho khau|tich hop|can cuoc|cccd|vneid)\b",
    ),
    _rule(
        r"\bxe (?:lu|xuc|cau|nang|ui|dao|cuoc|ben cong trinh)\b|\bmay (?:xuc|cong trinh)\b",
        "xe máy chuyên dùng",
    ),
    _rule(
        r"(?:\btien|\b\d+ ?(?:nghin|ngan|k|trieu|dong))\b.{0,25}\b(?:rach|chay|hong|nat|muc|dan lai)\b",
        "đổi tiền không đủ tiêu chuẩn lưu thông",
    ),
    _rule(r"\btruoc ba\b.{0,20}\b(?:xe|o to|oto)\b", "khai lệ phí trước bạ tài sản khác"),
    # A small shop is a household business, and registering one is setting it up.
    _rule(
        r"\bmo (?:them )?(?:quan|cua hang|tiem|shop|sap|tap hoa|xe ban|hang)\b|\bbuon ban nho\b|"
        r"\b(?:giay phep|dang ky|xin phep) kinh doanh\b.{0,30}\b(?:quan|cua hang|tiem|shop|sap|tap hoa)\b|"
        r"\b(?:quan|cua hang|tiem|shop|sap|tap hoa)\b.{0,30}\b(?:giay phep|dang ky|xin phep) kinh doanh\b|"
        r"\b(?:dang ky|lap|mo|lam giay phep) ho kinh doanh\b|\bdang ky kinh doanh\b",
        "đăng ký thành lập hộ kinh doanh",
        rf"\b(?:cong ty|doanh nghiep|cty|nghi|{_CHANGES})\b",
    ),
    # Registering a cooperative or a company, nothing else said, is setting it up.
    _rule(
        r"\b(?:dang ky|lap|mo) (?:hop tac xa|htx|doanh nghiep|cong ty|cty)\b",
        "đăng ký thành lập",
        rf"\b(?:chi nhanh|van phong|con dau|hoa don|bao hiem|{_CHANGES})\b",
    ),
    # Business: citizens say "công ty", the catalogue's names say "doanh nghiệp".
    _rule(r"\b(?:cong ty|cty)\b", "doanh nghiệp", r"\bdoanh nghiep\b"),
    # Tax. "Thuế đất" a household pays each year is the tax on non-agricultural land; "tiền thuê đất" is
    # rent (the same letters without diacritics, so rent is told apart by "tiền" and "thuê" alone).
    _rule(
        r"\b(?:nop|dong|khai|tinh|mien|giam) thue (?:dat|nha dat)\b|\bthue nha dat\b",
        "khai thuế sử dụng đất phi nông nghiệp",
        r"\btien thue\b|\bcho thue\b|\bdi thue\b",
    ),
    _rule(
        r"\b(?:ma so thue|mst) ca nhan\b|"
        r"\b(?:ma so thue|mst)\b.{0,10}\bcho (?:con|me|bo|cha|vo|chong|nguoi phu thuoc|ban than)\b",
        "đăng ký thuế lần đầu đối với người nộp thuế là cá nhân",
        r"\b(?:khoi phuc|cham dut|dong|thay doi|cap nhat|mat|nguoi nha)\b",
    ),
    _rule(
        r"\b(?:ma so thue|mst)\b.{0,15}\b(?:bi khoa|khoa|ngung hieu luc|mo lai)\b|"
        r"\b(?:mo lai|mo khoa)\b.{0,10}\b(?:ma so thue|mst)\b",
        "khôi phục mã số thuế",
    ),
    _rule(
        r"\b(?:dong|huy|cat|bo|xoa)\b.{0,5}\b(?:ma so thue|mst)\b",
        "chấm dứt hiệu lực mã số thuế",
        r"\b(?:khoi phuc|mo lai)\b",
    ),
    _rule(
        r"\b(?:quyet toan|hoan) thue\b.{0,30}\b(?:tncn|thu nhap ca nhan|luong)\b|"
        r"\b(?:tncn|thu nhap ca nhan)\b.{0,20}\b(?:quyet toan|hoan thue)\b|"
        r"\bhoan thue (?:tncn|thu nhap ca nhan)\b",
        "khai quyết toán thuế, hoàn thuế đối với cá nhân có thu nhập từ tiền lương, tiền công",
    ),
    # Heirs who agree how to share an estate have the agreement certified.
    _rule(
        r"(?=.*\b(?:chia|phan chia)\b.{0,30}\b(?:di san|dat|nha|tai san|thua ke)\b)"
        r"(?=.*\b(?:chung thuc|cong chung|van ban|thoa thuan|di chuc|thua ke)\b)",
        "chứng thực văn bản thỏa thuận phân chia di sản",
        r"\b(?:tach thua|tach so|ly hon|vo chong)\b",
    ),
    # Certification (chứng thực) at the commune.
    _rule(
        r"\bsao y\b|"
        r"\b(?:cong chung|chung thuc|photo)\b.{0,30}\b(?:ban sao|bang|hoc ba|cccd|can cuoc|ban chinh)\b",
        "chứng thực bản sao từ bản chính giấy tờ, văn bản",
        r"\bhop dong\b|\bban dich\b|\bchu ky\b",
    ),
    # A letter of authorisation is signed before the commune, which certifies the signature.
    _rule(
        r"\b(?:giay|van ban|lam) uy quyen\b",
        "chứng thực chữ ký trong các giấy tờ, văn bản",
        r"\b(?:linh thay|bao hiem|bhxh|luong huu|tro cap|quyet toan|thue|hop dong)\b",
    ),
    # A translation is certified by the translator's signature.
    _rule(
        r"\bdich (?:thuat|cong chung|giay to|ho so|ban|sang)\b|\bban dich\b|"
        r"\bdich\b.{0,30}\btieng (?:anh|phap|trung|han|nhat|duc|nga)\b",
        "chứng thực chữ ký người dịch",
    ),
    _rule(
        r"\b(?:cong chung|chung thuc)\b.{0,25}\bhop dong\b",
        "chứng thực giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất, nhà ở",
    ),
    # Fishing is "khai thác thủy sản" in the catalogue.
    _rule(r"\b(?:danh bat|danh|bat|cau) (?:ca|hai san|thuy san|tom)\b", "khai thác thủy sản", r"\bnuoi\b"),
    # A permit to build is for new construction unless the message says another action (building is
    # also the purpose of other procedures: "lên thổ cư để xây nhà" is a change of land use).
    _rule(
        r"\b(?:giay phep|xin phep|cap phep|phep) xay (?:dung|nha)\b",
        "cấp giấy phép xây dựng mới nhà ở riêng lẻ",
        r"\b(?:sua|sua chua|cai tao|dieu chinh|gia han|cap lai|di doi|mat|hoan cong|tam|dac biet|"
        r"tuong rao)\b",
    ),
    # A house repaired or altered needs the construction permit for repair (not a new building's).
    _rule(
        r"\b(?:sua chua|sua|cai tao|nang cap|coi noi|nang tang|xay them tang)\b.{0,10}\bnha\b",
        "cấp giấy phép xây dựng sửa chữa, cải tạo nhà ở riêng lẻ",
        r"\bnha o xa hoi\b|\bvay\b",
    ),
    # A foreigner's visa is extended as a stay ("tạm trú") at the provincial immigration office.
    _rule(
        r"\bgia han (?:visa|thi thuc)\b|\b(?:visa|thi thuc)\b.{0,20}\b(?:gia han|het han)\b",
        "gia hạn tạm trú cho người nước ngoài",
    ),
    # A household's drilled well is registered as taking groundwater.
    _rule(
        r"\b(?:gieng khoan|khoan gieng)\b",
        "đăng ký khai thác nước dưới đất",
        # A driller's trade, or a works taking cubic metres a day, needs a licence, not a registration.
        r"\b(?:hanh nghe|dich vu|tho|xuong|trang trai|cong ty|doanh nghiep|khoi|m3)\b",
    ),
    # A poor household is recognised by the commune each year; that is what its support hangs on.
    _rule(r"\b(?:ho|gia dinh) (?:can )?ngheo\b", "công nhận hộ nghèo, hộ cận nghèo", r"\bnha o\b|\bde an\b"),
    # Marriage registered abroad is recorded ("ghi chú") in the Vietnamese register.
    _rule(
        r"\bghi chu (?:viec )?ket hon\b",
        "ghi vào sổ hộ tịch việc kết hôn đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
    ),
    # Selling, inheriting or being given land or a house is declared for personal income tax.
    _rule(
        r"(?=.*\b(?:ban|chuyen nhuong|sang ten|thua ke|tang cho|cho tang|duoc cho)\b.{0,20}"
        r"\b(?:dat|nha|bat dong san|bds|can ho)\b)(?=.*\b(?:thue|tncn|thu nhap ca nhan)\b)",
        "khai thuế thu nhập cá nhân đối với cá nhân có thu nhập từ chuyển nhượng bất động sản",
        r"\b(?:cho thue|thue dat|tien thue)\b",
    ),
    # Land-use fees recorded as owed on the certificate are struck off once paid.
    _rule(
        r"\bxoa\b.{0,15}\bghi no\b|\bghi no\b.{0,60}\b(?:da nop|nop du|nop xong|tra het|tra xong)\b",
        "xóa ghi nợ tiền sử dụng đất trên giấy chứng nhận đã cấp",
    ),
    # A land dispute the commune's mediation did not settle goes to the commune chairman.
    _rule(
        r"(?=.*\bhoa giai\b.{0,25}\b(?:khong thanh|that bai|khong duoc)\b)(?=.*\btranh chap\b)",
        "giải quyết tranh chấp đất đai thuộc thẩm quyền của chủ tịch ủy ban nhân dân cấp xã",
    ),
    # Dissolving a company.
    _rule(
        r"\bgiai the\b.{0,20}\b(?:cong ty|cty|doanh nghiep|dn)\b",
        "giải thể doanh nghiệp",
        r"\b(?:ho kinh doanh|hop tac xa|htx|chi nhanh|van phong dai dien)\b",
    ),
    # Social insurance and police licences.
    _rule(
        r"\b(?:linh|lanh|nhan) (?:ho|thay)\b.{0,30}\b(?:luong huu|tro cap|bhxh|bao hiem|che do)\b|"
        r"\b(?:luong huu|tro cap|bhxh|che do)\b.{0,40}\b(?:linh|lanh|nhan) (?:ho|thay)\b",
        "ủy quyền lĩnh thay các chế độ bảo hiểm xã hội",
    ),
    # Sick leave to care for a sick child, or one's own, is the sickness benefit; the rest after it is
    # "dưỡng sức phục hồi sức khỏe".
    _rule(
        r"\b(?:nghi om|con om|con bi om|chau om|om dau)\b|\bnghi\b.{0,20}\b(?:cham con|cham chau)\b|"
        r"\bcon\b.{0,15}\b(?:bi sot|nam vien|nhap vien|bi benh)\b",
        "giải quyết hưởng chế độ ốm đau",
        r"\bduong suc\b",
    ),
    _rule(r"\bduong suc\b", "giải quyết hưởng trợ cấp nghỉ dưỡng sức phục hồi sức khỏe"),
    _rule(
        r"\b(?:tro cap |che do )?tuat\b|\b(?:tro cap |tien )?mai tang(?: phi)?\b",
        "giải quyết hưởng chế độ tử tuất",
    ),
    _rule(
        r"\b(?:karaoke|cam do|nha nghi|khach san|vu truong|quan bar)\b|\b(?:an ninh trat tu|antt)\b",
        "cấp mới giấy chứng nhận đủ điều kiện về an ninh, trật tự",
        # Declaring a guest's stay is the guest's residence, not the business's licence.
        r"\b(?:cap doi|cap lai|doi giay|khai bao|tam tru|luu tru)\b",
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
