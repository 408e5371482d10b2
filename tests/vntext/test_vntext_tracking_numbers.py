import re

import pytest

from vntext import FEEDBACK_CODE_PATTERN, find_tracking_number


@pytest.mark.parametrize(
    ("go", "chuan"),
    [
        ("phản ánh PA-20261123-0001 đến đâu rồi", "PA-20261123-0001"),
        ("pa-20261123-0001 sao roi", "PA-20261123-0001"),
        ("số theo dõi PA - 20261123 - 0001 ạ", "PA-20261123-0001"),
    ],
)
def test_so_theo_doi_go_kieu_nao_cung_nhan(go: str, chuan: str) -> None:
    assert find_tracking_number(go) == chuan
    assert re.search(FEEDBACK_CODE_PATTERN, go, re.IGNORECASE)


@pytest.mark.parametrize("khong_phai", ["hồ sơ H56.14-261110-0021", "PA-2026112-0001", "CAPA-20261123-0001"])
def test_khong_nham_voi_ma_khac(khong_phai: str) -> None:
    assert find_tracking_number(khong_phai) is None
    assert not re.search(FEEDBACK_CODE_PATTERN, khong_phai, re.IGNORECASE)
