"""The portal importer re-splits the real records' flattened tables into structure.

Each test names the real record (../shared/data/dvcqg) whose raw text it was checked against.
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search_index import facts
from search_index.catalogue import ChannelKind, Currency, Level, OnlineLevel, Procedure, TimeUnit
from search_index.portal_import import InvalidRecord, parse_portal_record
from search_index.settings import real_catalogue_file


@pytest.fixture(scope="module")
def raw_records() -> dict[str, dict[str, Any]]:
    with gzip.open(real_catalogue_file(), "rt", encoding="utf-8") as stream:
        records = [json.loads(line) for line in stream]
    return {record["ma_thu_tuc"]: record for record in records}


@pytest.fixture(scope="module")
def parse(raw_records: dict[str, dict[str, Any]]) -> Any:
    def parse_code(code: str) -> Procedure:
        return parse_portal_record(raw_records[code])

    return parse_code


def test_khieu_nai_cap_trung_uong_day_du_cau_truc(parse: Any) -> None:
    procedure = parse("1.000178")
    assert procedure.code == "1.000178"
    assert procedure.levels == [Level.MINISTRY]
    assert procedure.applicants == ["Tổ chức (không bao gồm doanh nghiệp, HTX)", "Công dân Việt Nam"]
    assert [c.kind for c in procedure.channels] == [ChannelKind.POSTAL, ChannelKind.IN_PERSON]
    for channel in procedure.channels:
        assert channel.processing_time == "60 Ngày làm việc"
        assert channel.processing_days == 60.0
        assert channel.fee == "" and channel.fee_vnd is None  # "Không có thông tin"
        assert channel.description.startswith("Thời hạn giải quyết khiếu nại lần đầu không quá 30 ngày")
    assert procedure.online_level == OnlineLevel.NONE
    assert len(procedure.documents) == 8
    assert procedure.documents[0].name == "Tài liệu, chứng cứ do các bên cung cấp"
    assert all((d.originals, d.copies, d.form) == (1, 0, None) for d in procedure.documents)
    assert [(d.number, d.title) for d in procedure.legal_basis] == [
        (
            "68/2013/TT-BCA",
            "Hướng dẫn xử lý khiếu nại, kiến nghị, phản ánh; giải quyết khiếu nại và quản lý công tác "
            "giải quyết khiếu nại trong công an nhân dân",
        ),
        ("02/2011/QH13", "Luật Khiếu nại năm 2011"),
        ("11/2015/TT-BCA", "Quy định quy trình giải quyết khiếu nại trong công an nhân dân"),
        ("05/2012/NĐ-CP", "Nghị định 05/2012/NĐ-CP"),
    ]
    assert procedure.result == "Quyết định giải quyết khiếu nại lần 1, lần 2"
    assert procedure.steps[0].startswith("Bước 1: Thụ lý giải quyết khiếu nại")
    assert len(procedure.steps) >= 3


def test_dau_thanh_thong_nhat_va_khoang_trang_gon(parse: Any) -> None:
    procedure = parse("1.000178")
    # The raw conditions say "toà án" (new placement) and carry line breaks.
    assert "tòa án" in procedure.conditions and "toà" not in procedure.conditions
    assert "\n" not in procedure.conditions and "  " not in procedure.conditions


def test_dang_ky_khai_sinh_mien_phi_va_nhom_giay_to(parse: Any) -> None:
    procedure = parse("1.001193")
    assert procedure.levels == [Level.COMMUNE]
    assert {c.kind for c in procedure.channels} == set(ChannelKind)
    assert all(c.fee == "Miễn phí" and c.fee_vnd == 0 for c in procedure.channels)
    assert procedure.online_level == OnlineLevel.PARTIAL
    # Four groups: "* Giấy tờ phải nộp:", "* Giấy tờ phải xuất trình:", "* Lưu ý:" and an untitled "--".
    groups = [d.name.split(": ", 1)[0] for d in procedure.documents]
    assert {"Giấy tờ phải nộp", "Giấy tờ phải xuất trình", "Lưu ý"} < set(groups)
    assert any(
        d.name.startswith("Giấy tờ phải nộp: Giấy chứng sinh") and d.originals == 1
        for d in procedure.documents
    )
    form = procedure.documents[-2]
    assert form.name.startswith("Tờ khai đăng ký khai sinh theo mẫu (nếu người có yêu cầu")
    assert (form.originals, form.copies) == (1, 0)
    numbers = [d.number for d in procedure.legal_basis]
    assert "123/2015/NĐ-CP" in numbers and "60/2014/QH13" in numbers
    assert procedure.result == "Giấy khai sinh"


@pytest.mark.parametrize(
    ("code", "kind", "fee_vnd"),
    [
        ("1.000005", ChannelKind.ONLINE, 20_000),  # "Trực tuyến120,000 VNĐ": 1 + 20,000 đồng
        ("1.000014", ChannelKind.ONLINE, 20_000),  # "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)"
        ("2.002044", ChannelKind.IN_PERSON, 100_000),  # "Trực tiếp1100,000 VNĐ"
    ],
)
def test_thoi_gian_khong_don_vi_dinh_lien_le_phi(
    code: str, kind: ChannelKind, fee_vnd: int, parse: Any
) -> None:
    channel = parse(code).channel(kind)
    assert channel is not None
    assert channel.processing_time == "1"
    assert channel.processing_days is None
    assert (channel.time_value, channel.time_unit) == (1.0, None)  # the record gives no unit
    assert channel.fee_vnd == fee_vnd


def test_le_phi_lay_muc_thap_nhat_duoc_ghi(parse: Any) -> None:
    # "50 VNĐ((áp dụng mức phí 25.000 đồng/hồ sơ kể từ ngày 01/7/2025 …))"
    channel = parse("1.002010").channel(ChannelKind.ONLINE)
    assert channel is not None
    assert channel.processing_days == 7.0
    assert channel.fee.startswith("50 VNĐ (")
    assert channel.fee_vnd == 25_000


def test_le_phi_bang_ngoai_te_khong_doi_ra_dong(parse: Any) -> None:
    channel = parse("1.001010").channel(ChannelKind.IN_PERSON)
    assert channel is not None
    assert channel.processing_time == "6 Tháng"
    assert (channel.time_value, channel.time_unit) == (6.0, TimeUnit.MONTHS)
    assert channel.fee == "100 USD (100 USD/thẻ.)"
    assert channel.fee_vnd is None
    assert [(i.amount, i.currency, i.per) for i in channel.fee_items] == [(100, Currency.USD, "thẻ")]


def test_o_phi_mien_phi_nhung_chi_tiet_neu_so_tien(parse: Any) -> None:
    # 3.000353: "Miễn phí(- Nộp trực tiếp: 135.000 đồng/lần.  - Trường hợp … trực tuyến: Kể từ ngày
    # 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là 115.000 đồng/lần cấp.)"
    for channel in parse("3.000353").channels:
        assert channel.fee.startswith("Miễn phí (- Nộp trực tiếp: 135.000 đồng/lần.")  # as published
        assert channel.fee_vnd == 115_000  # never 0: the record states amounts
        assert [(i.amount, i.per, i.channel) for i in channel.fee_items] == [
            (135_000, "lần", ChannelKind.IN_PERSON),
            (115_000, "lần cấp", ChannelKind.ONLINE),
        ]
        assert channel.fee_items[1].valid_until == date(2025, 12, 31)
        assert (channel.time_value, channel.time_unit) == (5.0, TimeUnit.WORKING_DAYS)


def test_o_phi_mien_phi_nhung_ghi_chu_noi_co_thu(parse: Any) -> None:
    # 1.004746: "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh … quyết định. Miễn lệ phí cho …)"
    for channel in parse("1.004746").channels:
        assert channel.fee_vnd is None
        assert [i.amount for i in channel.fee_items] == [None, None]


def test_so_tien_trong_cot_mo_ta(parse: Any) -> None:
    # 1.002626: the fee cell "500,000 Việt Nam Đồng", the description "Phí: 500.000 đồng/hồ sơ (áp dụng
    # mức phí 250.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày 31/12/2026 …)".
    channel = parse("1.002626").channels[0]
    assert [(i.amount, i.valid_until) for i in channel.fee_items] == [
        (500_000, None),
        (250_000, date(2026, 12, 31)),
    ]
    assert channel.fee_vnd == 250_000


def test_co_quan_duoc_uy_quyen(raw_records: dict[str, dict[str, Any]]) -> None:
    record = next(r for r in raw_records.values() if r["co_quan_duoc_uy_quyen"].strip())
    assert parse_portal_record(record).authorized_agency == record["co_quan_duoc_uy_quyen"].strip()


def test_thoi_gian_ghi_bang_chu(parse: Any) -> None:
    channel = parse("1.007689").channel(ChannelKind.ONLINE)
    assert channel is not None
    assert channel.processing_time == "Không phải trả kết quả cho người nộp thuế"
    assert channel.fee_vnd == 0
    assert channel.description.startswith("Bằng phương thức điện tử qua Cổng dịch vụ công Quốc gia")
    tax = parse("1.009824")
    assert len(tax.channels) == 3
    assert tax.channels[0].processing_time.startswith("Hệ thống giải quyết thủ tục hành chính ngành Thuế")


def test_mau_don_tach_khoi_ten_giay_to(parse: Any) -> None:
    lawyers = parse("1.002010").documents
    assert (lawyers[2].name, lawyers[2].form) == (
        "Giấy đề nghị đăng ký hoạt động theo mẫu thống nhất",
        "Mẫu TP-LS-02-sđ.docx",
    )
    assert (lawyers[1].originals, lawyers[1].copies) == (0, 1)
    aviation = parse("3.000379").documents[0]
    assert (aviation.name, aviation.form) == (
        "Văn bản đề nghị cấp giấy phép (theo mẫu)",
        "12.1.PLCpgiyphpcungcpDVHKnngh.docx",
    )
    tax = parse("1.007689").documents
    assert [(d.form, d.originals, d.copies) for d in tax] == [("01 BĐS.docx", 1, 1), ("01 BK-BĐS.docx", 1, 0)]


def test_nhieu_nhom_ho_so_giu_ten_nhom(parse: Any) -> None:
    names = [d.name for d in parse("1.004306").documents]
    assert [n.split(": ", 1)[0] for n in names] == ["Hồ sơ gia hạn"] * 2 + ["Hồ sơ sửa đổi, bổ sung"] * 2


def test_so_van_ban_dinh_lien_tieu_de(parse: Any) -> None:
    lawyers = {d.number: d.title for d in parse("1.002010").legal_basis}
    assert lawyers["65/2006/QH11"] == "Luật 65/2006/QH11"  # "…QH1165/2006/QH11"
    assert lawyers["47/2019/TT-BTC"] == "Thông thư 47/2019/TT-BTC"
    assert lawyers["64/2025/TT-BTC"].startswith("Thông tư quy định mức thu")
    aviation = {d.number: d.title for d in parse("3.000379").legal_basis}
    assert aviation["15/2024/NĐ-CP"].startswith("Sửa đổi Nghị định 30/2013/NĐ-CP")
    assert aviation["30/2013/NĐ-CP"] == "về kinh doanh vận chuyển hàng không và hoạt động hàng không chung"
    assert aviation["66/2006/QH11"] == "LUẬT HÀNG KHÔNG DÂN DỤNG VIỆT NAM"


def test_so_van_ban_bi_cat_cut(parse: Any) -> None:
    # "…chuỗi giá trị24/2024": the full number is the one the title quotes.
    [document] = parse("1.014208").legal_basis
    assert document.number == "24/2024/QĐ-UBND"
    assert document.title.endswith("liên kết theo chuỗi giá trị")


@pytest.mark.parametrize(
    ("code", "level"),
    [("1.012575", OnlineLevel.FULL), ("1.013076", OnlineLevel.PARTIAL), ("1.000178", OnlineLevel.NONE)],
)
def test_muc_do_dich_vu_truc_tuyen(code: str, level: OnlineLevel, parse: Any) -> None:
    assert parse(code).online_level == level


def test_bo_noi_dung_trang_web(parse: Any) -> None:
    procedure = parse("1.000014")
    for code in ("1.000178", "1.011325", "1.001193", "1.000014"):
        result = parse(code).result
        assert "Chọn cơ quan" not in result and "Mã: KQ" not in result and "Từ khóa" not in result
    # When the result section is empty, its furniture spills into the conditions.
    assert parse("1.000916").conditions == ""
    assert procedure.result == ""


def test_nhap_lai_khong_doi_noi_dung(raw_records: dict[str, dict[str, Any]]) -> None:
    first = parse_portal_record(raw_records["1.001193"])
    again = parse_portal_record(json.loads(json.dumps(raw_records["1.001193"])))
    assert first.content_hash == again.content_hash


def test_ban_ghi_dang_nfd_cho_cung_ket_qua(raw_records: dict[str, dict[str, Any]]) -> None:
    # 500 of the real records carry decomposed (NFD) text somewhere.
    record = raw_records["1.001193"]
    decomposed = {k: unicodedata.normalize("NFD", v) for k, v in record.items()}
    assert parse_portal_record(decomposed).content_hash == parse_portal_record(record).content_hash


def test_ten_mau_dinh_lien_chu_thuong(parse: Any) -> None:
    # "…trước thời điểm chứng chỉ hết hạnmau so 20.doc1 bản chính,1 bản sao"
    renewal = [d for d in parse("1.000049").documents if d.form == "mau so 20.doc"]
    assert len(renewal) == 1
    assert renewal[0].name.endswith("trước thời điểm chứng chỉ hết hạn")
    assert (renewal[0].originals, renewal[0].copies) == (1, 1)


def test_buoc_viet_lien_trong_doan(parse: Any) -> None:
    steps = parse("1.000049").steps  # "…hạng II - Bước 1: Nộp hồ sơ…\n- Bước 2: …\n- Bước 3: …"
    assert [s.split(":")[0] for s in steps[1:]] == ["- Bước 2", "- Bước 3"]
    assert "Bước 1: Nộp" in steps[0]


def _record(**fields: Any) -> dict[str, Any]:
    return {"ma_thu_tuc": "1.999999", "ten_thu_tuc": "Thủ tục thử", **fields}


def test_chuan_hoa_nfc_va_dau_thanh() -> None:
    decomposed = unicodedata.normalize("NFD", "Đăng ký  hoạt động\n của Hoà Bình")
    procedure = parse_portal_record(_record(ten_thu_tuc=decomposed, linh_vuc="Không có thông tin"))
    assert procedure.name == "Đăng ký hoạt động của Hòa Bình"
    assert unicodedata.is_normalized("NFC", procedure.name)
    assert procedure.field == ""


def test_ban_ghi_toi_gian_van_thanh_thu_tuc() -> None:
    procedure = parse_portal_record(_record())
    assert (procedure.channels, procedure.documents, procedure.legal_basis) == ([], [], [])
    assert procedure.online_level == OnlineLevel.NONE


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (["không", "phải", "dict"], "không phải đối tượng JSON"),
        (_record(ma_thu_tuc=""), "thiếu mã thủ tục"),
        (_record(ma_thu_tuc="Không có thông tin"), "thiếu mã thủ tục"),
        (_record(ma_thu_tuc="1.00 1193"), "mã thủ tục không hợp lệ"),
        (_record(ten_thu_tuc="   "), "thiếu tên thủ tục"),
        (_record(cach_thuc_thuc_hien=42), "cach_thuc_thuc_hien không phải chuỗi"),
        (_record(ma_thu_tuc=1001193), "ma_thu_tuc không phải chuỗi"),
    ],
)
def test_ban_ghi_hong_bao_ly_do(record: Any, reason: str) -> None:
    with pytest.raises(InvalidRecord) as caught:
        parse_portal_record(record)
    assert reason in caught.value.reason


PORTAL_FIELDS = ["ma_thu_tuc", "ten_thu_tuc", "cap_thuc_hien", "cach_thuc_thuc_hien", "thanh_phan_ho_so"]
PORTAL_FIELDS += [
    "can_cu_phap_ly",
    "trinh_tu_thuc_hien",
    "ket_qua_xu_ly",
    "yeu_cau_dieu_kien",
    "doi_tuong_thuc_hien",
]
# Fragments of the real tables, so that generated text exercises the parsers, not only the guards.
FRAGMENTS = [
    "Hình thức nộpThời gianPhí, lệ phíMô tả",
    "Trực tuyến",
    "Trực tiếp",
    "Dịch vụ bưu chính",
    "5 Ngày làm việc",
    "120,000 VNĐ",
    "Miễn phí",
    "Không có thông tin",
    "(",
    ")",
    "Tên giấy tờMẫu đơn, tờ khaiSố lượng",
    "1 bản chính",
    ",1 bản sao",
    "Mẫu 01.docx",
    "Tên văn bản pháp lýMã văn bản",
    "123/2015/NĐ-CP",
    "QH13",
    "Bước 1:",
    "\n",
    "a) ",
    "Mã: KQ.G01.1",
    "Từ khóa",
    "Mô tả",
    "Chọn cơ quan thực hiện",
    "Hoà",
    "2011",
    "135.000 đồng/lần",
    "20 VNĐ",
    "99999999999999999999 VNĐ",
    "10 USD/giấy",
    "Phí: ",
    "Kể từ ngày 01/7/2025 đến hết ngày 31/02/2026",
    "- ",
    "; ",
    "Miễn lệ phí cho ",
]
table_text = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=12).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(PORTAL_FIELDS), table_text | st.none() | st.integers()))
def test_ban_ghi_bat_ky_chi_ra_thu_tuc_hoac_invalid_record(record: dict[str, Any]) -> None:
    try:
        procedure = parse_portal_record(record)
    except InvalidRecord as error:
        assert error.reason
        return
    assert procedure.code and procedure.name
    # Whatever was read, the statements come out (a bad field falls back to its raw text).
    for lines in (facts.fee_lines(procedure), facts.time_lines(procedure), facts.where_lines(procedure)):
        assert all(isinstance(line, str) and line for line in lines)
    assert facts.fee_summary(procedure) and facts.time_summary(procedure) and facts.where_summary(procedure)
