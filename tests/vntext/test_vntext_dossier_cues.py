"""Câu hỏi về hồ sơ đã nộp mang dấu hiệu của nó: mã biên nhận hoặc lời hỏi về tiến độ, kết quả, tin báo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from vntext.dossier_cues import speaks_of_a_dossier

NLU_DATA = Path(__file__).resolve().parents[2] / "nlu_data"


@pytest.mark.parametrize(
    "text",
    [
        "hồ sơ của tôi đến đâu rồi",
        "ho so xong chua ad",
        "H56.14-240823-0001",
        "báo cho tôi khi có kết quả",
        "tra cứu hồ sơ cấp sổ đỏ",
        "hồ sơ bị yêu cầu bổ sung là sao",
    ],
)
def test_câu_hỏi_về_hồ_sơ_đã_nộp_có_dấu_hiệu(text: str) -> None:
    assert speaks_of_a_dossier(text)


@pytest.mark.parametrize(
    "text",
    [
        "bố em vừa mất tối qua ở nhà, giờ đi làm giấy khai tử cho ông",
        "lam ho so huong che do tai nan lao dong the nao",
        "làm hồ sơ đăng ký kết hôn cần gì",
        "lệ phí cấp hộ chiếu bao nhiêu",
        "bao cho ai",  # whom a death is reported to
        "ngân hàng bắt bổ sung giấy xác nhận số CMND cũ với số CCCD mới, xin ở đâu",
    ],
)
def test_câu_nêu_thủ_tục_không_phải_hồ_sơ_đã_nộp(text: str) -> None:
    assert not speaks_of_a_dossier(text)


def test_mọi_câu_huấn_luyện_hỏi_hồ_sơ_đều_có_dấu_hiệu() -> None:
    """The classifier's own examples of these intents are never demoted."""
    annotated = re.compile(r"\[([^\]]*)\]\([^)]*\)")
    for path in NLU_DATA.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") not in {"check_dossier_status", "subscribe_dossier"}:
                continue
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    example = annotated.sub(r"\1", line.strip()[2:])
                    assert speaks_of_a_dossier(example), (path.name, example)
