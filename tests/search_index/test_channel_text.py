"""Reading fee and description texts clause by clause.

The texts are cells of real records (../shared/data/dvcqg), quoted with the code they come from.
"""

from __future__ import annotations

from datetime import date

import pytest

from search_index.catalogue import ChannelKind, Currency
from search_index.channel_text import fee_clauses, is_plain_free, time_notes, vnd_amounts


def test_muc_phi_giam_co_thoi_han_gan_voi_dung_so_tien() -> None:
    # 1.002681, description column.
    items = fee_clauses(
        "Phí: 800.000 đồng/hồ sơ (áp dụng mức phí 400.000 đồng/hồ sơ kể từ ngày 01/7/2025 đến hết ngày "
        "31/12/2026 theo Thông tư số 64/2025/TT-BTC). Lệ phí: 100.000 đồng/hồ sơ."
    )
    assert [(i.amount, i.per, i.label) for i in items] == [
        (800_000, "hồ sơ", "Phí"),
        (400_000, "hồ sơ", ""),
        (100_000, "hồ sơ", "Lệ phí"),
    ]
    assert (items[0].valid_from, items[0].valid_until) == (None, None)
    assert (items[1].valid_from, items[1].valid_until) == (date(2025, 7, 1), date(2026, 12, 31))
    assert items[2].text == "Lệ phí: 100.000 đồng/hồ sơ."


def test_giay_phep_lai_xe_quoc_te_muc_truc_tiep_va_truc_tuyen() -> None:
    # 3.000353: the fee cell says "Miễn phí", its details state the amounts.
    items = fee_clauses(
        "(- Nộp trực tiếp: 135.000 đồng/lần.  - Trường hợp tổ chức, cá nhân nộp hồ sơ theo hình thức "
        "trực tuyến: Kể từ ngày 01/12/2023 đến hết ngày 31/12/2025, áp dụng mức thu lệ phí là "
        "115.000 đồng/lần cấp.)"
    )
    assert [(i.amount, i.per, i.channel) for i in items] == [
        (135_000, "lần", ChannelKind.IN_PERSON),
        (115_000, "lần cấp", ChannelKind.ONLINE),
    ]
    assert items[0].label == "Nộp trực tiếp"
    assert items[1].valid_until == date(2025, 12, 31)
    assert items[1].text.startswith("Trường hợp tổ chức, cá nhân")  # no bullet left over


def test_tieu_de_nhom_di_kem_tung_muc() -> None:
    # 3.000380: a heading ending in ":" applies to the rows under it.
    items = fee_clauses(
        "Cung cấp dịch vụ tại cảng hàng không quốc tế: - Cấp lại do thay đổi nội dung: 30.000.000 đồng; "
        "- Cấp lại do bị mất, rách, hỏng: 5.000.000 đồng."
    )
    assert [i.amount for i in items] == [30_000_000, 5_000_000]
    assert all(i.text.startswith("Cung cấp dịch vụ tại cảng hàng không quốc tế:") for i in items)
    assert items[1].label == "Cấp lại do bị mất, rách, hỏng"


def test_mien_cho_nhom_nguoi_la_mot_menh_de() -> None:
    # 1.004746: "; người thuộc hộ nghèo" continues the exemption, it is not a clause of its own.
    items = fee_clauses(
        "(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh, thành phố trực thuộc Trung ương quyết định. "
        "Miễn lệ phí cho người thuộc gia đình có công với cách mạng; người thuộc hộ nghèo; người khuyết tật.)"
    )
    assert [(i.amount, i.exemption) for i in items] == [(None, False), (None, True)]
    assert items[1].text.endswith("người thuộc hộ nghèo; người khuyết tật.")


def test_ten_thong_tu_trich_dan_khong_phai_mien_giam() -> None:
    # 2.002041: "miễn" inside the title of a cited circular.
    (item,) = fee_clauses(
        "Lệ phí đăng ký doanh nghiệp: Bằng 50% mức thu lệ phí quy định tại điểm 1 Biểu phí (Thông tư số "
        "64/2025/TT-BTC ngày 30 tháng 6 năm 2025 của Bộ Tài chính quy định mức thu, miễn một số khoản phí)"
    )
    assert item.amount is None and not item.exemption


def test_cong_thuc_tinh_phi_khong_bi_cat_o_dau_cong() -> None:
    items = fee_clauses("Nộp 150.000 đồng + (số tấn thủy sản x 15.000 đồng/tấn)")
    assert {i.text for i in items} == {"Nộp 150.000 đồng + (số tấn thủy sản x 15.000 đồng/tấn)"}
    assert [i.amount for i in items] == [150_000, 15_000]


@pytest.mark.parametrize(
    ("text", "amount", "currency", "per"),
    [
        ("1.200.000đ/thẻ ABTC.", 1_200_000, Currency.VND, "thẻ ABTC"),  # 1.000811
        ("250.000đồng/môn thi", 250_000, Currency.VND, "môn thi"),  # 1.007413
        ("23.000 đồng/01 Giấy chứng nhận kiểm định tem kiểm định", 23_000, Currency.VND, "Giấy chứng nhận"),
        ("10 USD/giấy", 10, Currency.USD, "giấy"),
        ("Phí: 1,700,000 Sát hạch thực hành", 1_700_000, Currency.VND, ""),  # 1.004270: no currency word
    ],
)
def test_so_tien_va_don_vi_tinh(text: str, amount: int, currency: Currency, per: str) -> None:
    (item,) = fee_clauses(text)
    assert (item.amount, item.currency, item.per) == (amount, currency, per)


def test_so_sai_dinh_dang_khong_thanh_so_tien() -> None:
    # 1.004414: "10.000.0000 đồng" and "3000.000 đồng" are typos; better no amount than a wrong one.
    assert vnd_amounts("10.000.0000 đồng (Cấp lần đầu); 3000.000 đồng (cấp lại)") == []


def test_ngay_khong_hop_le_khong_lam_hong() -> None:
    (item,) = fee_clauses("Áp dụng mức phí 25.000 đồng từ ngày 31/02/2025 đến hết ngày 31/12/2026")
    assert item.amount == 25_000 and item.valid_from is None and item.valid_until == date(2026, 12, 31)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Không", True),
        ("Không có.", True),
        ("Không quy định.", True),
        ("Chưa quy định.", True),
        ("Miễn lệ phí (Thông tư số 47/2019/TT-BTC)", True),
        ("Miễn lệ phí cho người thuộc hộ nghèo", False),
        ("Không thu lệ phí đăng ký đối với tổ hợp tác", False),
        ("Theo quy định của Luật phí và lệ phí", False),
    ],
)
def test_chi_noi_mien_phi(text: str, plain: bool) -> None:
    assert is_plain_free(text) is plain


def test_dieu_kien_thoi_han_trong_mo_ta() -> None:
    condition = "Trong thời hạn 03 ngày làm việc kể từ ngày nhận đủ hồ sơ, cơ quan Công an cấp giấy phép."
    description = (
        f"{condition}\n"
        "- Lệ phí: 20.000 đồng trong 03 ngày.\n"
        "- Thông tư số 64/2025/TT-BTC ngày 30 tháng 6 năm 2025.\n"
        "- Nộp hồ sơ qua Cổng dịch vụ công quốc gia."
    )
    assert time_notes(description) == [condition]
