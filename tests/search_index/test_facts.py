"""What the assistant states about a procedure's fee, time and place of submission.

Each test names the real record (../shared/data/dvcqg) it was checked against; the last ones hold for
all 2,642 records. Dated rates are judged against a fixed day, so the tests do not age.
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from typing import Any

import pytest

from search_index import facts
from search_index.audit import says_free, states_vnd_amount
from search_index.catalogue import ChannelKind, Procedure, SubmissionChannel
from search_index.portal_import import parse_portal_record
from search_index.settings import real_catalogue_file

TODAY = date(2026, 11, 27)
NO_UNIT = "không ghi đơn vị"
UNITS = ("ngày làm việc", "ngày", "giờ làm việc", "giờ", "phút", "tuần", "tháng", "năm")


@pytest.fixture(scope="module")
def raw_records() -> dict[str, dict[str, Any]]:
    with gzip.open(real_catalogue_file(), "rt", encoding="utf-8") as stream:
        return {record["ma_thu_tuc"]: record for record in map(json.loads, stream)}


@pytest.fixture(scope="module")
def parse(raw_records: dict[str, dict[str, Any]]) -> Any:
    return lambda code: parse_portal_record(raw_records[code])


# ------------------------------------------------------------------------------------------- fee


def test_le_phi_giay_phep_lai_xe_quoc_te_neu_so_tien_khong_noi_mien_phi(parse: Any) -> None:
    # 3.000353: the fee column says "Miễn phí", its details 135.000 đồng/lần (115.000 online until 2025).
    procedure = parse("3.000353")
    lines = facts.fee_lines(procedure, today=TODAY)
    assert lines[0] == "Phí, lệ phí:"
    assert "• Nộp trực tiếp: 135.000 đồng/lần" in lines
    online = next(line for line in lines if "115.000 đồng/lần cấp" in line)
    assert "trực tuyến" in online and online.endswith("(đã hết thời hạn áp dụng)")
    assert not any(facts.FREE in line for line in lines)
    assert facts.fee_summary(procedure, today=TODAY) == "135.000 đồng/lần"
    # While the online rate was in force, the summary gives both, the online one with its end date.
    assert facts.fee_summary(procedure, today=date(2025, 6, 1)) == (
        "135.000 đồng/lần · 115.000 đồng/lần cấp đến hết 31/12/2025"
    )
    assert all(c.fee_vnd == 115_000 for c in procedure.channels)  # the lowest amount stated


def test_le_phi_khac_nhau_theo_hinh_thuc_nop(parse: Any) -> None:
    # 1.004222 Đăng ký thường trú: 10.000 đồng online, 20.000 đồng in person, exemptions for some.
    procedure = parse("1.004222")
    lines = facts.fee_lines(procedure, today=TODAY)
    assert lines[1].startswith("• Nộp trực tuyến: ") and "10.000 đồng/lần đăng ký" in lines[1]
    assert lines[2] == "• Nộp trực tiếp:" and lines[3] == "  – 20.000 đồng"
    assert lines[4].startswith("  – Trường hợp công dân thuộc diện được miễn phí")
    assert facts.fee_summary(procedure, today=TODAY) == (
        "Trực tuyến: 10.000 đồng/lần đăng ký; trực tiếp: 20.000 đồng (có trường hợp được miễn)"
    )


def test_cau_tra_loi_dau_ve_le_phi_neu_so_tien_roi_mot_ghi_chu(parse: Any) -> None:
    # 1.001612 Đăng ký thành lập hộ kinh doanh: 150.000 đồng online or by post, 50.000 đồng in person,
    # each followed by the same five clauses (set by the provincial council, paid when submitting…).
    procedure = parse("1.001612")
    short, more = facts.short_fee_lines(procedure, today=TODAY)
    assert short == [
        "Phí, lệ phí:",
        "• Nộp trực tuyến, qua dịch vụ bưu chính: 150.000 đồng",
        "• Nộp trực tiếp: 50.000 đồng",
        "• Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh quyết định (căn cứ quy định tại Thông tư số "
        "85/2019/TT-BTC)",
    ]
    assert more and len(facts.fee_lines(procedure, today=TODAY)) > len(short)


def test_ghi_chu_dau_tien_la_muc_giam_dang_ap_dung_khong_phai_muc_da_het_han(parse: Any) -> None:
    # 1.014063 Cấp đổi thẻ căn cước: 50.000 đồng; 50 % online in 2025 (ended), 50 % until 31/12/2026.
    short, more = facts.short_fee_lines(parse("1.014063"), today=TODAY)
    assert "50.000 đồng/thẻ căn cước" in short[2]
    assert short[-1].startswith("• Kể từ ngày 01/7/2025 đến hết ngày 31/12/2026") and more
    assert not any("đã hết thời hạn áp dụng" in line for line in short)


def test_le_phi_ngan_thi_cau_tra_loi_dau_da_du(parse: Any) -> None:
    # 2.000635 Cấp bản sao trích lục hộ tịch: 8.000 đồng, nothing else to show.
    assert facts.short_fee_lines(parse("2.000635"), today=TODAY) == (["Phí, lệ phí:", "• 8.000 đồng"], False)


def test_muc_giam_co_thoi_han_dang_ap_dung(parse: Any) -> None:
    # 2.000819: 1.000.000 đồng, 500.000 đồng from 01/7/2025 to 31/12/2026 (Thông tư 64/2025/TT-BTC).
    procedure = parse("2.000819")
    assert facts.fee_summary(procedure, today=TODAY) == "1.000.000 đồng · 500.000 đồng đến hết 31/12/2026"
    assert facts.fee_summary(procedure, today=date(2027, 1, 1)) == "1.000.000 đồng"
    lines = facts.fee_lines(procedure, today=date(2027, 1, 1))
    assert lines[-1].endswith("(đã hết thời hạn áp dụng)")


def test_o_phi_ghi_theo_nghin_dong(parse: Any) -> None:
    # 1.000014: "20 VNĐ (20.000 vnđ /tờ khai)": the details' 20.000 đồng, never "20 đồng".
    procedure = parse("1.000014")
    assert facts.fee_lines(procedure) == ["Phí, lệ phí:", "• 20.000 vnđ /tờ khai"]
    assert facts.fee_summary(procedure) == "20.000 đồng/tờ khai"


def test_o_phi_khong_hop_ly_thi_noi_ro_khong_doan(parse: Any) -> None:
    # 2.002018: online "Miễn phí", postal and in person "25 VNĐ" with no details.
    procedure = parse("2.002018")
    lines = facts.fee_lines(procedure)
    assert "• Nộp trực tuyến: cột phí ghi “Miễn phí” (các hình thức nộp khác có mức thu)" in lines
    assert any("cột phí ghi “25 VNĐ”" in line and "hỏi lại" in line for line in lines)
    assert not any("25 đồng" in line or "25.000" in line for line in lines)
    assert not says_free(procedure)


def test_cot_mien_phi_nhung_ghi_chu_noi_hdnd_quy_dinh_muc_thu(parse: Any) -> None:
    # 1.004746 Đăng ký lại kết hôn: the column says free, the details that the province sets the fee.
    procedure = parse("1.004746")
    assert facts.fee_lines(procedure) == [
        "Phí, lệ phí:",
        "• Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định",
        "• Miễn lệ phí cho người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; "
        "người khuyết tật",
    ]
    assert all(c.fee_vnd is None for c in procedure.channels)


def test_mien_phi_khi_ho_so_noi_vay(parse: Any) -> None:
    # 1.001193 Đăng ký khai sinh: "Miễn phí" and nothing else.
    procedure = parse("1.001193")
    assert facts.fee_lines(procedure) == ["Phí, lệ phí:", "• Miễn phí"]
    assert facts.fee_summary(procedure) == "Miễn phí"


def test_dang_ky_ket_hon_mien_le_phi_va_phi_ban_sao(parse: Any) -> None:
    # 1.000894: "Miễn lệ phí. Phí cấp bản sao Trích lục kết hôn … theo Thông tư 281/2016/TT-BTC".
    lines = facts.fee_lines(parse("1.000894"))
    assert lines[1] == "• Miễn lệ phí"
    assert lines[2].startswith("• Phí cấp bản sao Trích lục kết hôn (nếu có yêu cầu)")


def test_don_vi_tinh_va_ten_khoan_phi_dinh_sau_o_phi(parse: Any) -> None:
    # 1.013835 "1,000,000 Việt Nam Đồng (/hồ sơ)"; 1.003658 "100,000 VNĐ (Phí Thẩm tra, thẩm định)".
    assert facts.fee_lines(parse("1.013835")) == ["Phí, lệ phí:", "• 1.000.000 đồng/hồ sơ"]
    item = parse("1.003658").channels[0].fee_items[0]
    assert (item.amount, item.label) == (100_000, "Phí Thẩm tra, thẩm định")


def test_khong_co_thong_tin_phi(parse: Any) -> None:
    procedure = parse("1.000178")
    assert facts.fee_lines(procedure) == []
    assert facts.fee_summary(procedure) == "Hồ sơ thủ tục chưa ghi phí, lệ phí"


# ------------------------------------------------------------------------------------------ time


def test_dang_ky_ket_hon_thoi_han_khong_don_vi_noi_ro(parse: Any) -> None:
    # 1.000894: the time cell is a bare "1".
    procedure = parse("1.000894")
    assert facts.time_lines(procedure) == [
        "Thời hạn giải quyết:",
        "• Hồ sơ ghi thời hạn: 1 (không ghi đơn vị)",
    ]
    assert facts.time_summary(procedure) == "Hồ sơ ghi thời hạn: 1 (không ghi đơn vị)"
    assert all(c.time_value == 1 and c.time_unit is None for c in procedure.channels)


def test_thoi_han_co_don_vi_va_dieu_kien(parse: Any) -> None:
    # 3.000379: 12 ngày làm việc, "kể từ ngày nhận đủ hồ sơ hợp lệ" in the description.
    assert facts.time_lines(parse("3.000379")) == [
        "Thời hạn giải quyết:",
        "• 12 ngày làm việc",
        "• Trong thời hạn 12 ngày làm việc, kể từ ngày nhận đủ hồ sơ hợp lệ.",
    ]


def test_thoi_han_khac_nhau_theo_hinh_thuc_nop(parse: Any) -> None:
    # 1.000811 thẻ ABTC: 21 ngày online and in person, 21 ngày làm việc by post.
    procedure = parse("1.000811")
    assert facts.time_lines(procedure)[1:] == [
        "• Nộp trực tuyến, trực tiếp: 21 ngày",
        "• Nộp qua dịch vụ bưu chính: 21 ngày làm việc",
    ]
    assert facts.time_summary(procedure) == "Trực tuyến, trực tiếp: 21 ngày; bưu chính: 21 ngày làm việc"


def test_thoi_han_chi_ghi_trong_mo_ta(parse: Any) -> None:
    # 1.003160: the time cell says "Không có thông tin"; the description gives the stages.
    procedure = parse("1.003160")
    lines = facts.time_lines(procedure)
    assert lines[1] == "• Hồ sơ thủ tục không ghi thời hạn ở cột thời gian; phần mô tả ghi:"
    assert lines[2].startswith("• Sở Tư pháp kiểm tra hồ sơ và lấy ý kiến: 20 ngày")
    assert facts.time_summary(procedure) == "Xem chi tiết (hồ sơ ghi thời hạn trong phần mô tả)"


def test_thoi_han_ghi_bang_chu_giu_nguyen(parse: Any) -> None:
    procedure = parse("1.007689")
    assert facts.time_lines(procedure)[1] == "• Không phải trả kết quả cho người nộp thuế"


# ----------------------------------------------------------------------------------------- where


def test_thu_tuc_cap_xa_khong_ghi_co_quan_thi_noi_theo_cap(parse: Any) -> None:
    # 1.012537: level "Cấp xã", every agency and address field empty.
    procedure = parse("1.012537")
    lines = facts.where_lines(procedure)
    assert lines[:3] == [
        "Nơi nộp hồ sơ:",
        "• Hồ sơ thủ tục không ghi cơ quan tiếp nhận; theo cấp thực hiện:",
        "• Thủ tục cấp xã: nộp tại Trung tâm Phục vụ hành chính công (Bộ phận Một cửa) của Ủy ban nhân dân "
        "cấp xã.",
    ]
    assert lines[-1] == "• Hình thức nộp: trực tuyến, qua dịch vụ bưu chính, trực tiếp."
    assert facts.where_summary(procedure) == "Trung tâm Phục vụ hành chính công cấp xã (thủ tục cấp xã)"


def test_thu_tuc_cap_tinh_khong_ghi_co_quan(parse: Any) -> None:
    lines = facts.where_lines(parse("3.000444"))
    assert "• Thủ tục cấp tỉnh: nộp tại Trung tâm Phục vụ hành chính công cấp tỉnh" in lines[2]


def test_co_quan_thuc_hien_tu_truong_co_quan(parse: Any) -> None:
    procedure = parse("3.000353")
    assert facts.where_lines(procedure) == [
        "Nơi nộp hồ sơ:",
        "• Cơ quan thực hiện: Cục cảnh sát giao thông.",
        "• Hình thức nộp: trực tuyến, trực tiếp.",
    ]
    assert facts.where_summary(procedure) == "Cục cảnh sát giao thông"


def test_uy_ban_nhan_dan_xa_thi_them_noi_tiep_nhan(parse: Any) -> None:
    # 1.000894: the agency is "Ủy ban Nhân dân xã, phường, thị trấn."; its desk is the commune's centre.
    lines = facts.where_lines(parse("1.000894"))
    assert lines[1] == "• Cơ quan thực hiện: Ủy ban Nhân dân xã, phường, thị trấn."
    assert lines[2].startswith("• Thủ tục cấp xã: nộp tại Trung tâm Phục vụ hành chính công")


def test_dia_chi_tiep_nhan(parse: Any) -> None:
    lines = facts.where_lines(parse("1.003555"))
    assert "• Cơ quan thực hiện: Cục Hàng không Việt Nam." in lines
    assert "• Địa chỉ tiếp nhận: 119 Nguyễn Sơn, phường Bồ Đề, thành phố Hà Nội" in lines


def test_co_quan_duoc_uy_quyen_duoc_doc(raw_records: dict[str, dict[str, Any]]) -> None:
    authorised = [parse_portal_record(r) for r in raw_records.values() if r["co_quan_duoc_uy_quyen"].strip()]
    assert {p.authorized_agency for p in authorised} == {
        "Sở Tư pháp Thành phố Hà Nội",
        "Cục Đường sắt Việt Nam",
    }
    assert all(f"• Cơ quan được ủy quyền: {p.authorized_agency}." in facts.where_lines(p) for p in authorised)


# ----------------------------------------------------------------------------------- own format


def test_danh_muc_rieng_khong_co_cau_truc_thi_giu_nguyen_van_ban() -> None:
    procedure = Procedure(
        code="1.014061",
        name="Cấp thẻ căn cước",
        channels=[
            SubmissionChannel(
                kind=ChannelKind.IN_PERSON,
                processing_time="07 ngày làm việc",
                fee="Không thu lệ phí khi cấp lần đầu",
                fee_vnd=0,
            ),
            SubmissionChannel(
                kind=ChannelKind.ONLINE, processing_time="07 ngày làm việc", fee="Lệ phí: 10.000 đồng/lần"
            ),
        ],
    )
    assert facts.fee_lines(procedure) == [
        "Phí, lệ phí:",
        "• Nộp trực tiếp: Không thu lệ phí khi cấp lần đầu",
        "• Nộp trực tuyến: Lệ phí: 10.000 đồng/lần",
    ]
    assert facts.time_lines(procedure) == ["Thời hạn giải quyết:", "• 07 ngày làm việc"]


# ------------------------------------------------------------------------------ all 2,642 records


def test_khong_ho_so_nao_neu_so_tien_ma_noi_mien_phi(real_procedures: list[Procedure]) -> None:
    wrong = [p.code for p in real_procedures if states_vnd_amount(p) and says_free(p)]
    assert wrong == []
    for p in real_procedures:
        for channel in p.channels:
            if channel.fee_vnd == 0:  # free only when nothing in the channel's texts states an amount
                assert not re.search(r"\d\s*(?:đồng|vnđ|đ\b)", f"{channel.fee} {channel.description}", re.I)


def test_moi_thoi_han_co_don_vi_hoac_noi_khong_ghi(real_procedures: list[Procedure]) -> None:
    bare = re.compile(r"(?:^• |: )\d+(?:,\d+)?$")
    for p in real_procedures:
        lines = facts.time_lines(p)
        assert not any(bare.search(line) for line in lines), (p.code, lines)
        for channel in p.channels:
            if channel.time_value is None:
                continue
            said = facts.time_lines(p)
            expected = NO_UNIT if channel.time_unit is None else channel.time_unit.value
            assert any(expected in line for line in said), (p.code, said)
        if facts.time_status(p) == facts.TimeStatus.NO_UNIT:
            assert NO_UNIT in facts.time_summary(p) or ";" in facts.time_summary(p), p.code


def test_cau_ngan_vua_man_hinh_dien_thoai(real_procedures: list[Procedure]) -> None:
    for p in real_procedures:
        for line in [*facts.fee_lines(p, today=TODAY), *facts.time_lines(p), *facts.where_lines(p)]:
            assert len(line) <= facts.LINE_CHARS + 60, (p.code, line)
        short_fee, _ = facts.short_fee_lines(p, today=TODAY)
        assert len(short_fee) <= 12 and all(len(line) <= facts.LINE_CHARS + 60 for line in short_fee), p.code
        for summary in (facts.fee_summary(p, today=TODAY), facts.time_summary(p), facts.where_summary(p)):
            assert summary and len(summary) <= facts.SUMMARY_CHARS, (p.code, summary)


def test_moi_thu_tuc_co_noi_nop(real_procedures: list[Procedure]) -> None:
    assert all(facts.where_lines(p) for p in real_procedures)
    assert all(facts.where_source(p) != facts.WhereSource.NONE for p in real_procedures)


def test_doi_tuong_cua_muc_phi_di_kem_so_tien(parse: Any) -> None:
    # 1.005103: "40,000 Việt Nam Đồng (- Xe ô tô từ 10 chỗ trở lên)": whom the amount is for, not a
    # second fact ("• 40.000 đồng • Xe ô tô từ 10 chỗ trở lên" read as if it applied to every car).
    lines = facts.fee_lines(parse("1.005103"), today=TODAY)
    assert lines == ["Phí, lệ phí:", "• 40.000 đồng (xe ô tô từ 10 chỗ trở lên)"]


def test_thoi_han_khong_nhac_lai_hai_lan(parse: Any) -> None:
    # 1.014061: the time column says 7 ngày làm việc, the description "Không quá 07 ngày làm việc".
    assert facts.time_lines(parse("1.014061")) == ["Thời hạn giải quyết:", "• 7 ngày làm việc"]
