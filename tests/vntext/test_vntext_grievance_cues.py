"""Lời phản ánh mang dấu hiệu của nó: tên gọi (phản ánh, góp ý…) hoặc điều bị phản ánh (thái độ, lỗi…)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from vntext.grievance_cues import could_be_feedback, voices_feedback

NLU_DATA = Path(__file__).resolve().parents[2] / "nlu_data"


@pytest.mark.parametrize(
    "text",
    [
        "tôi muốn phản ánh",
        "can bo mot cua hach dich voi dan",
        "hồ sơ bị trễ hẹn mà không ai giải thích",
        "gọi số hỗ trợ cả buổi sáng mà máy bận suốt",
        "gop y bo phan mot cua lam viec cham qua",
    ],
)
def test_lời_phản_ánh_có_dấu_hiệu(text: str) -> None:
    assert voices_feedback(text)


@pytest.mark.parametrize(
    "text",
    [
        "cong chung photo bang tot nghiep o ubnd xa bao nhieu tien 1 trang",
        "xe máy cũ hỏng nát, muốn hủy đăng ký nộp lại biển số",
        "cần mấy bản sao khi đăng ký hộ kinh doanh",  # "mấy bản" is not "máy bận"
        "nghỉ làm chăm con ốm thì có được bảo hiểm xã hội trả tiền không",  # "chăm" is not "chậm"
        "chấm dứt hoạt động chi nhánh công ty",
    ],
)
def test_câu_hỏi_thủ_tục_không_phải_lời_phản_ánh(text: str) -> None:
    assert not voices_feedback(text)


def test_mọi_câu_huấn_luyện_phản_ánh_đều_có_dấu_hiệu() -> None:
    """The classifier's own examples of submit_feedback are never demoted."""
    annotated = re.compile(r"\[([^\]]*)\]\([^)]*\)")
    for path in NLU_DATA.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") != "submit_feedback":
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    example = annotated.sub(r"\1", line.strip()[2:])
                    assert voices_feedback(example), (path.name, example)


def test_chỉ_câu_hỏi_thủ_tục_không_có_lời_phản_ánh_mới_không_phải_phản_ánh() -> None:
    assert not could_be_feedback("cong chung photo bang tot nghiep o ubnd xa bao nhieu tien 1 trang")
    assert not could_be_feedback("xe máy cũ hỏng nát, muốn hủy đăng ký nộp lại biển số")
    # Feedback in words the cues do not know stays feedback: it asks about no procedure.
    assert could_be_feedback("cán bộ xã làm việc kiểu gì vậy, dân đến cả sáng không ai tiếp")
    assert could_be_feedback("phòng một cửa để dân chờ cả buổi, phản ánh thế nào")
