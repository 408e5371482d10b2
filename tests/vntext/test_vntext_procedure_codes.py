"""National procedure codes in what citizens and operators type."""

from __future__ import annotations

import pytest

from vntext.procedure_codes import NATIONAL_CODE


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("thủ tục 1.001193 cần gì", ["1.001193"]),
        ("mã 2.000528, còn 1.001193 thì sao", ["2.000528", "1.001193"]),
        ("12.000123", ["12.000123"]),
        # Not codes: a dossier's unit code, a longer dotted number, a decimal, a phone number.
        ("hồ sơ 000.00.06.H56-231027-0361", []),
        ("1.0011934", []),
        ("3.5 triệu", []),
        ("0905.123.456", []),
    ],
)
def test_ma_thu_tuc_quoc_gia(text: str, codes: list[str]) -> None:
    assert NATIONAL_CODE.findall(text) == codes
