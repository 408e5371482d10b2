"""`python -m search_index audit`: how well a catalogue's fees, times and places of submission were read."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from search_index.__main__ import main
from search_index.audit import audit
from search_index.catalogue import Procedure
from search_index.settings import real_catalogue_file

SUMMARY = re.compile(
    r"^catalogue_audit n=(?P<n>\d+) fee_structured=(?P<fs>\d+) fee_raw=(?P<fr>\d+) fee_none=(?P<fn>\d+) "
    r"time_with_unit=(?P<tu>\d+) time_no_unit=(?P<tb>\d+) time_text=(?P<tt>\d+) time_none=(?P<tn>\d+) "
    r"where_structured=(?P<ws>\d+) where_level=(?P<wl>\d+) where_none=(?P<wn>\d+) "
    r"free_with_amount=(?P<free>\d+)$"
)


def test_danh_muc_that_khong_ho_so_nao_neu_so_tien_ma_bao_mien_phi(real_procedures: list[Procedure]) -> None:
    report = audit(real_procedures, real_catalogue_file())
    match = SUMMARY.match(report.summary_line())
    assert match, report.summary_line()
    counts = {key: int(value) for key, value in match.groupdict().items()}
    assert counts["n"] == len(real_procedures) == 2642
    assert counts["free"] == 0
    assert counts["fs"] + counts["fr"] + counts["fn"] == counts["n"]
    assert counts["tu"] + counts["tb"] + counts["tt"] + counts["tn"] == counts["n"]
    assert counts["ws"] + counts["wl"] + counts["wn"] == counts["n"]
    # Measured when written (see the report of `python -m search_index audit`): most records read.
    assert counts["fs"] >= 2200 and counts["tu"] >= 2100 and counts["wn"] == 0


@pytest.fixture
def small_portal_file(tmp_path: Path) -> Path:
    wanted = {"3.000353", "1.000894", "1.012537", "2.002018"}
    with gzip.open(real_catalogue_file(), "rt", encoding="utf-8") as stream:
        lines = [line.rstrip("\n") for line in stream if json.loads(line)["ma_thu_tuc"] in wanted]
    path = tmp_path / "portal.jsonl"
    path.write_text("\n".join([*lines, '{"ma_thu_tuc": "1.0']) + "\n", encoding="utf-8")
    return path


def test_lenh_audit_in_vi_du_va_dong_tong_ket(
    small_portal_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", str(small_portal_file)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "4 thủ tục (bỏ qua 1 bản ghi hỏng)" in out[0]
    assert out[-1] == (
        "catalogue_audit n=4 fee_structured=2 fee_raw=1 fee_none=1 time_with_unit=2 time_no_unit=2 "
        "time_text=0 time_none=0 where_structured=3 where_level=1 where_none=0 free_with_amount=0"
    )
    text = "\n".join(out)
    assert "[nêu số tiền] 3.000353" in text and "Nộp trực tiếp: 135.000 đồng/lần" in text
    assert "[chỉ có số, không ghi đơn vị] 1.000894" in text and "1 (không ghi đơn vị)" in text
    assert "[suy từ cấp thực hiện] 1.012537" in text
    assert "Kiểm tra (phải bằng 0): hồ sơ nêu số tiền bằng đồng mà câu trả lời nói miễn phí: 0" in text
