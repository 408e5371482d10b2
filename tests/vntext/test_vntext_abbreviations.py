"""What citizens type on Zalo → the catalogue's own words."""

import pytest

from vntext import ABBREVIATIONS, expand_abbreviations, normalize


def expand(text: str) -> str:
    return expand_abbreviations(normalize(text))


@pytest.mark.parametrize(
    ("nguoi_dan_go", "thuat_ngu"),
    [
        ("Làm CCCD hết bn tiền?", "cấp thẻ căn cước hết bao nhiêu tiền?"),
        ("lam cccd het bn tien", "cấp thẻ căn cước het bao nhiêu tien"),
        ("cấp lại thẻ căn cước công dân", "cấp lại thẻ căn cước"),
        ("mất CMND phải làm sao", "mất căn cước phải làm sao"),
        ("đổi CMT sang căn cước", "đổi căn cước sang căn cước"),
        ("cap lai bang lai xe may", "cap lai giấy phép lái xe may"),
        ("đổi GPLX quốc tế", "đổi giấy phép lái xe quốc tế"),
        ("đổi bằng lái", "đổi giấy phép lái xe"),
        ("làm sổ đỏ lần đầu", "cấp giấy chứng nhận quyền sử dụng đất lần đầu"),
        ("lam lai so do", "cấp lại giấy chứng nhận quyền sử dụng đất"),
        ("làm hộ chiếu ở đâu", "cấp hộ chiếu ở đâu"),
        ("thi bằng lái xe lần đầu", "cấp giấy phép lái xe lần đầu"),
        ("thi bang lai xe may", "cấp giấy phép lái xe may"),
        ("sang tên xe máy", "đăng ký xe thay đổi chủ xe máy"),
        ("mở hộ kinh doanh cá thể", "đăng ký thành lập hộ kinh doanh cá thể"),
        ("mo cong ty tnhh", "thành lập doanh nghiệp trách nhiệm hữu hạn"),
        ("sang ten so hong", "đăng ký biến động chuyển nhượng quyền sử dụng đất"),
        ("đăng ký hộ khẩu cho con", "đăng ký thường trú cho con"),
        ("đăng ký hộ khẩu thường trú", "đăng ký thường trú"),
        ("cap lai the BHYT", "cap lai the bảo hiểm y tế"),
        ("BHXH một lần", "bảo hiểm xã hội một lần"),
        ("xin MST cá nhân", "xin mã số thuế cá nhân"),
        ("ĐKKD hộ cá thể", "đăng ký kinh doanh hộ kinh doanh"),
        ("dkkd cho HKD", "đăng ký kinh doanh cho hộ kinh doanh"),
        ("xin GPXD nhà ở", "xin giấy phép xây dựng nhà ở"),
        ("phiếu LLTP số 2", "phiếu lý lịch tư pháp số 2"),
        ("làm giấy khai sinh cho con", "đăng ký khai sinh cho con"),
        ("lam giay chung tu", "đăng ký khai tử"),
        ("TTHC nào cần", "thủ tục hành chính nào cần"),
        ("XNTTHN để kết hôn", "xác nhận tình trạng hôn nhân để kết hôn"),
        ("xin giấy xác nhận độc thân", "xin giấy xác nhận tình trạng hôn nhân"),
        ("làm căn cước cho con 15 tuổi", "cấp thẻ căn cước cho con 15 tuổi"),
        ("sang tên sổ đỏ cho con", "đăng ký biến động chuyển nhượng quyền sử dụng đất cho con"),
        ("xin cấp lại GPLX", "cấp lại giấy phép lái xe"),
        ("ko biết đc k", "không biết được không"),
        ("khg dc a", "không được a"),
        ("can giay to j", "can giay to gì"),
        ("can giay to gi", "can giay to gì"),
        ("nộp hs ntn", "nộp hồ sơ như thế nào"),
        ("đăng kí kết hôn", "đăng ký kết hôn"),
        ("bn ơi cho hỏi", "bạn ơi cho hỏi"),
    ],
)
def test_mo_rong_viet_tat(nguoi_dan_go: str, thuat_ngu: str) -> None:
    assert expand(nguoi_dan_go) == thuat_ngu


@pytest.mark.parametrize(
    "cau",
    [
        "phí 50k hay 50 k ạ",  # k sau số là nghìn
        "theo điểm k khoản 1 điều 5",  # điểm k là điều khoản, không phải "không"
        "phu luc r",
        "xe nhập khẩu",  # nhập khẩu hàng hóa, không phải hộ khẩu
        "giấy phép lái xe",
        "giấy chứng nhận quyền sử dụng đất",
        "https://dichvucong.gov.vn/k/j",
        "email a.k@x.vn",
        "khiếu nại",
        "giá bao nhiêu",
        "kho bạc",
        "ông bà",
    ],
)
def test_khong_lam_hong_tu_khac(cau: str) -> None:
    assert expand(cau) == normalize(cau)


def test_ma_ho_so_khong_bi_doi() -> None:
    assert expand("tra hs 000.00.06.H56-231027-0361") == "tra hồ sơ 000.00.06.h56-231027-0361"


def test_thuat_ngu_chinh_thuc_khong_doi_lan_nua() -> None:
    for official in ABBREVIATIONS.values():
        assert expand_abbreviations(official) == official


def test_khoa_da_chuan_hoa() -> None:
    for key in ABBREVIATIONS:
        assert key == normalize(key)
