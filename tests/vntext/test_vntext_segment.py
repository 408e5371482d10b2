"""Word segmentation keeps codes, phone numbers and amounts whole."""

from vntext import segment


def test_tach_tu_giu_nguyen_ma_ho_so() -> None:
    tokens = segment("Tôi muốn tra cứu hồ sơ 000.00.06.H56-231027-0361 ạ")
    assert tokens == ["Tôi", "muốn", "tra cứu", "hồ sơ", "000.00.06.H56-231027-0361", "ạ"]


def test_ma_ho_so_viet_thuong_co_khoang_trang() -> None:
    assert "h56.14 - 240823 - 0001" in segment("ma ho so h56.14 - 240823 - 0001 cua toi")


def test_giu_ma_thu_tuc_so_dien_thoai_va_so_tien() -> None:
    tokens = segment("thủ tục 1.001193 phí 50.000 đồng, gọi 0905 123 456 hoặc +84905123456")
    for whole in ["1.001193", "50.000", "0905 123 456", "+84905123456"]:
        assert whole in tokens
    assert "phí" in tokens


def test_tu_ghep_tieng_viet() -> None:
    tokens = segment("đăng ký khai sinh cần giấy tờ gì")
    assert "đăng ký" in tokens
    assert "giấy tờ" in tokens


def test_van_ban_rong() -> None:
    assert segment("") == []
    assert segment("  \n ") == []
