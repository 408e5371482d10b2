"""Everyday descriptions of a need get the catalogue's name of it appended (query expansion)."""

from __future__ import annotations

import pytest

from vntext.everyday import expand_everyday


@pytest.mark.parametrize(
    ("message", "official"),
    [
        ("muốn đổi tên cho con đang học lớp 3", "thay đổi, cải chính, bổ sung thông tin hộ tịch"),
        ("sua ngay sinh trong giay khai sinh", "thay đổi, cải chính, bổ sung thông tin hộ tịch"),
        ("giấy chứng nhận độc thân", "xác nhận tình trạng hôn nhân"),
        ("len tho cu can nhung gi", "chuyển mục đích sử dụng đất"),
        ("tach so do chia cho con", "tách thửa hoặc hợp thửa đất"),
        ("bam bien xe may", "đăng ký, cấp biển số xe lần đầu"),
        ("biển số tạm thời", "đăng ký xe tạm thời"),
        ("CCCD hết hạn năm 25 tuổi", "cấp đổi thẻ căn cước"),
        ("dang kiem oto dinh ky", "kiểm định an toàn kỹ thuật và bảo vệ môi trường xe cơ giới"),
        ("công ty có mấy xe lu, xe xúc", "xe máy chuyên dùng"),
        ("tờ 500 nghìn bị rách làm đôi", "đổi tiền không đủ tiêu chuẩn lưu thông"),
        ("em muon lam lai giay khai sinh vi bi mat", "bản sao giấy khai sinh"),
        ("mở quán cà phê nhỏ cần đăng ký gì", "đăng ký thành lập hộ kinh doanh"),
        ("muốn giải thể công ty", "doanh nghiệp"),
        ("kiểm tra xe có đang bị thế chấp không", "cung cấp thông tin về biện pháp bảo đảm"),
        ("xin trích lục khai tử của bố", "cấp bản sao trích lục hộ tịch"),
        ("lam ho chieu cho be", "cấp hộ chiếu phổ thông"),
        ("sổ đỏ bị rách mất một góc", "cấp đổi giấy chứng nhận quyền sử dụng đất"),
        ("xin giấy phép kinh doanh quán cafe", "đăng ký thành lập hộ kinh doanh"),
        ("dang ky ho kinh doanh online duoc ko", "đăng ký thành lập hộ kinh doanh"),
        ("bán hàng online có phải đăng ký kinh doanh không", "đăng ký thành lập hộ kinh doanh"),
        ("xin giấy xác nhận không có tiền án tiền sự", "cấp phiếu lý lịch tư pháp"),
        ("nhà em bị mất sổ hộ khẩu, xin cấp lại được không", "xác nhận thông tin về cư trú"),
        ("đăng ký xe máy cũ mua lại", "cấp chứng nhận đăng ký xe, biển số xe thay đổi chủ xe"),
        ("xin giấy xác nhận nơi cư trú để nộp hồ sơ", "xác nhận thông tin về cư trú"),
        ("tích hợp bằng lái vào VNeID", "tích hợp, cập nhật, điều chỉnh thông tin trên thẻ căn cước"),
        ("mua đất của hàng xóm, sang tên thế nào", "đăng ký biến động quyền sử dụng đất"),
        ("bố mẹ tặng cho đất cho con", "đăng ký biến động quyền sử dụng đất"),
        ("làm giấy ủy quyền cho con đi nhận hộ", "chứng thực chữ ký trong các giấy tờ, văn bản"),
        ("muốn đóng mã số thuế cá nhân", "chấm dứt hiệu lực mã số thuế"),
        ("xin giấy kết hôn bản sao", "cấp bản sao trích lục hộ tịch"),
        ("CCCD bị sai năm sinh", "điều chỉnh thông tin trên thẻ căn cước"),
        ("chuyển nhà sang phường khác", "đăng ký thường trú"),
        ("xây nhà xong muốn hoàn công", "đăng ký tài sản gắn liền với thửa đất"),
        ("dịch công chứng giấy tờ sang tiếng Anh", "chứng thực chữ ký người dịch"),
        ("bố cháu muốn làm thủ tục nhận con", "đăng ký nhận cha, mẹ, con"),
        ("đăng ký hợp tác xã nông nghiệp", "đăng ký thành lập"),
        ("tách hộ khẩu ra ở riêng", "tách hộ"),
        ("xin giấy phép đánh bắt cá ngoài biển", "khai thác thủy sản"),
        ("nộp thuế đất hàng năm ở đâu", "khai thuế sử dụng đất phi nông nghiệp"),
        ("gia đình tôi muốn xin hỗ trợ hộ nghèo", "công nhận hộ nghèo, hộ cận nghèo"),
        ("làm mất giấy đăng ký xe máy", "cấp lại chứng nhận đăng ký xe, biển số xe"),
        ("chuyển vùng xe ô tô từ tỉnh khác về", "cấp chứng nhận đăng ký xe, biển số xe thay đổi chủ xe"),
        ("đi học lái xe hạng A1", "cấp giấy phép lái xe"),
        ("xin phep sua chua nha", "cấp giấy phép xây dựng sửa chữa, cải tạo nhà ở riêng lẻ"),
        ("gia hạn visa cho chồng người Hàn", "gia hạn tạm trú cho người nước ngoài"),
        ("nhà tôi khoan giếng lấy nước sinh hoạt", "đăng ký khai thác nước dưới đất"),
        ("cho con nhap khau ve nha ong ba noi", "đăng ký thường trú"),
        ("thông tin cư trú của tôi bị sai ngày sinh", "điều chỉnh thông tin về cư trú"),
        ("khoi phuc ma so thue bi khoa", "khôi phục mã số thuế"),
        ("cap lai ho chieu bi mat", "trình báo mất hộ chiếu phổ thông"),
        ("sửa ngày sinh bị sai trên VNeID", "điều chỉnh thông tin trong cơ sở dữ liệu quốc gia về dân cư"),
        ("ba anh em chia đất bố mẹ để lại, chứng thực ở xã", "văn bản thỏa thuận phân chia di sản"),
        ("về nước muốn ghi chú kết hôn", "ghi vào sổ hộ tịch việc kết hôn"),
        ("bán nhà thì nộp thuế TNCN thế nào", "chuyển nhượng bất động sản"),
        ("sổ đỏ ghi nợ tiền sử dụng đất, nay đã nộp đủ", "xóa ghi nợ tiền sử dụng đất"),
        ("hòa giải ở xã không thành, tranh chấp ranh đất", "giải quyết tranh chấp đất đai thuộc thẩm quyền"),
        ("muốn giải thể cty TNHH", "giải thể doanh nghiệp"),
        ("ủy quyền cho con lĩnh thay lương hưu", "ủy quyền lĩnh thay các chế độ bảo hiểm xã hội"),
        ("nghỉ làm chăm con ốm có được BHXH trả không", "giải quyết hưởng chế độ ốm đau"),
        ("nghỉ dưỡng sức sau sinh", "dưỡng sức phục hồi sức khỏe"),
        ("nhận thừa kế quyền sử dụng đất của bố", "đăng ký biến động quyền sử dụng đất"),
        ("đăng ký xe máy cần giấy tờ gì", "đăng ký, cấp biển số xe lần đầu"),
        ("ông ngoại mất rồi, làm giấy báo tử ở đâu", "đăng ký khai tử"),
        (
            "nhà mình mới mua mảnh đất của người quen, giờ muốn sang tên thì làm sao",
            "đăng ký biến động quyền sử dụng đất",
        ),
        ("cấp lại giấy phép lái xe ô tô bị mất", "cấp lại giấy phép lái xe"),
        ("giay phep xay dung nha o nong thon co can khong", "cấp giấy phép xây dựng mới nhà ở riêng lẻ"),
        ("gộp 2 sổ đỏ thành 1", "tách thửa hoặc hợp thửa đất"),
        ("sổ đỏ đứng tên bố đã mất giờ muốn sang tên cho các con", "đăng ký biến động quyền sử dụng đất"),
        ("đăng ký xe máy điện cho học sinh", "đăng ký, cấp biển số xe lần đầu"),
        ("bằng B2 hết hạn đổi ở đâu", "giấy phép lái xe"),
        ("đăng ký mã số thuế cho con", "đăng ký thuế lần đầu đối với người nộp thuế là cá nhân"),
        (
            "muon lam khai sinh, nhap khau va the bhyt cho con moi de cung luc",
            "liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế",
        ),
        ("làm khai sinh và thẻ bảo hiểm y tế cho bé", "liên thông đăng ký khai sinh, cấp thẻ bảo hiểm y tế"),
        ("ghi tên bố vào giấy khai sinh cho con", "đăng ký nhận cha, mẹ, con"),
        ("đăng ký xe máy cho người nước ngoài", "đăng ký, cấp biển số xe lần đầu"),
        ("sổ đỏ bị ghi sai tên", "đính chính giấy chứng nhận đã cấp"),
        ("cập nhật số cccd trên sổ hồng", "đổi tên hoặc thay đổi thông tin về người sử dụng đất"),
        ("hộ khẩu giấy bị thu hồi rồi giờ chứng minh nơi ở bằng gì", "xác nhận thông tin về cư trú"),
        ("cap lai giay dang ky ket hon", "cấp bản sao trích lục hộ tịch"),
        ("chuyen nhuong 1 phan dat cho em", "đăng ký biến động quyền sử dụng đất"),
        ("dat ong ba de lai chua co so lam sao", "cấp giấy chứng nhận quyền sử dụng đất lần đầu"),
        # "trường hợp nhận thừa kế" is no plot merged ("hợp … thửa").
        (
            "đăng ký biến động quyền sử dụng đất trong trường hợp nhận thừa kế quyền sử dụng đất",
            "đăng ký biến động quyền sử dụng đất: chuyển nhượng, thừa kế, tặng cho",
        ),
    ],
)
def test_a_described_need_gets_its_official_name(message: str, official: str) -> None:
    expanded = expand_everyday(message)
    assert expanded.startswith(message) and official in expanded


@pytest.mark.parametrize(
    "message",
    [
        "đăng ký kết hôn",
        "mất CCCD cần cấp lại",
        "giấy khai sinh bị mất, sổ hộ tịch cũng không còn",
        "mất hộ chiếu ngoại giao phải trình báo ở đâu",
        "đăng ký thay đổi hộ kinh doanh",
        "thôn em đổi tên đường thì có phải làm lại giấy tờ không",
        "giấy phép kinh doanh bị mất phải cấp lại",
        "xin nhận con nuôi",
        "nộp tiền thuê đất hằng năm",
        "cấp lại tem kiểm định xe bị mất",
        "đăng ký làm giáo viên dạy lái xe",
        "trang trại dùng giếng khoan 150 khối mỗi ngày",
        "nhập khẩu xe ô tô cũ về Việt Nam",
        "trung tâm đào tạo lái xe bị mất giấy phép đào tạo",
        "cho thuê nhà thì khai thuế thế nào",
        # "Mất" beside a death certificate is a death; one lost with its register is registered again.
        "ba em moi mat, lam giay khai tu can nhung giay to gi a",
        "giấy đăng ký kết hôn năm 1990 bị mất, sổ ở xã cũng không còn",
        "giấy chứng nhận kết hôn đã thất lạc, sổ hộ tịch lưu ở xã cũng bị hư hỏng do lũ",
        # Changing the owner's name on a land certificate is no civil-status change.
        "đăng ký biến động đất đai khi đổi tên trên sổ",
        # Social-insurance books are merged and corrected too: neither a plot nor civil status.
        "gộp sổ bảo hiểm xã hội",
        "đổi thông tin trên sổ bhxh do sai ngày sinh",
    ],
)
def test_what_a_rule_rules_out_or_does_not_describe_is_left_alone(message: str) -> None:
    assert expand_everyday(message) == message


def test_releasing_a_mortgage_is_not_registering_one() -> None:
    added = expand_everyday("xóa thế chấp sổ đỏ").removeprefix("xóa thế chấp sổ đỏ ")
    assert added == "xóa đăng ký biện pháp bảo đảm bằng quyền sử dụng đất"


def test_a_pledged_car_is_movable_property_not_land() -> None:
    expanded = expand_everyday("vay ngân hàng mua ô tô, thế chấp luôn chiếc xe")
    assert "bảo đảm bằng động sản" in expanded and "quyền sử dụng đất" not in expanded
    released = expand_everyday("xoa the chap xe da tra no")
    assert "xóa đăng ký biện pháp bảo đảm bằng động sản" in released and "quyền sử dụng đất" not in released


def test_certifying_a_copy_one_has_is_not_asking_for_an_extract() -> None:
    assert "trích lục" not in expand_everyday("chứng thực bản sao giấy khai tử")


def test_splitting_a_plot_for_a_child_is_no_estate_shared_among_heirs() -> None:
    expanded = expand_everyday("tách sổ đỏ chia đất cho con, có phải chứng thực không")
    assert "tách thửa" in expanded and "phân chia di sản" not in expanded


def test_a_land_certificate_printed_wrong_is_corrected_not_a_civil_status_change() -> None:
    expanded = expand_everyday("sổ hồng ghi sai số căn cước của tôi, xin đính chính")
    assert "đính chính giấy chứng nhận đã cấp" in expanded and "hộ tịch" not in expanded


def test_papers_added_to_the_identity_card_are_no_joint_birth_registration() -> None:
    expanded = expand_everyday("tích hợp thẻ bảo hiểm y tế và giấy khai sinh vào thẻ căn cước")
    assert "liên thông" not in expanded
