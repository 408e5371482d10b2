"""How a conversation turn is scored: the checks of ../shared/eval/chat_dev.tsv, read as its README says."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluation.chat_eval import Check, Judged, Reply, Report, Turn, read_turns, turn_score


def turn(expect: str) -> Turn:
    return Turn("c1", "câu hỏi", tuple(Check.parse(p) for p in expect.split(";")), 2)


def test_mã_thủ_tục_trong_lời_đáp_được_tính_đủ() -> None:
    reply = Reply(texts=("📄 Thủ tục đăng ký khai sinh (mã thủ tục 1.001193)",))
    assert turn_score(turn("code=1.001193|1.000000"), reply) == 1.0


def test_mã_chỉ_có_trong_nút_bấm_được_tính_một_nửa() -> None:
    reply = Reply(
        texts=("Bạn hỏi về thủ tục nào ạ?",),
        buttons=("Đăng ký khai sinh", '/inform{"procedure_code": "1.001193"}'),
    )
    assert turn_score(turn("code=1.001193"), reply) == 0.5


def test_từ_được_so_không_dấu_không_phân_biệt_hoa_thường() -> None:
    reply = Reply(texts=("Thời hạn giải quyết: 5 NGÀY làm việc",))
    assert turn_score(turn("has=ngay lam viec|giờ"), reply) == 1.0
    assert turn_score(turn("has=tuần"), reply) == 0.0


def test_từ_cần_có_được_tìm_như_một_đoạn_chữ_kể_cả_tiền_tố_số_phản_ánh() -> None:
    assert turn_score(turn("has=PA-"), Reply(texts=("Số phản ánh của bạn: PA-20261127-0001",))) == 1.0
    assert turn_score(turn("has=mã hồ sơ"), Reply(texts=("Bạn cho tôi MA HO SO nhé",))) == 1.0


def test_nocode_và_nonempty() -> None:
    assert turn_score(turn("nocode"), Reply(texts=("Tôi chỉ hỗ trợ thủ tục hành chính.",))) == 1.0
    assert turn_score(turn("nocode"), Reply(texts=("Xem thủ tục 1.001193",))) == 0.0
    assert turn_score(turn("nonempty"), Reply()) == 0.0


def test_điểm_của_lượt_là_điểm_thấp_nhất_của_các_điều_kiện() -> None:
    buttons = ("Khai sinh", '/inform{"procedure_code": "1.001193"}')
    reply = Reply(texts=("Hồ sơ gồm tờ khai",), buttons=buttons)
    assert turn_score(turn("code=1.001193;has=tờ khai"), reply) == 0.5
    assert turn_score(turn("code=1.001193;has=giấy chứng sinh"), reply) == 0.0


def test_đọc_tệp_hội_thoại_theo_thứ_tự(tmp_path: Path) -> None:
    path = tmp_path / "chat.tsv"
    path.write_text(
        "conv\ttext\texpect\n"
        "d1\tchấm dứt hộ kinh doanh\tcode=1.001266\n"
        "d1\tmat bao lau\tcode=1.001266;has=ngày\n",
        encoding="utf-8",
    )
    turns = read_turns(path)
    assert [t.text for t in turns] == ["chấm dứt hộ kinh doanh", "mat bao lau"]
    assert {t.conversation for t in turns} == {"d1"}
    assert [str(c) for c in turns[1].checks] == ["code=1.001266", "has=ngày"]


def test_điều_kiện_lạ_bị_từ_chối_kèm_số_dòng(tmp_path: Path) -> None:
    path = tmp_path / "chat.tsv"
    path.write_text("conv\ttext\texpect\nd1\txin chào\tcontains=chào\n", encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        read_turns(path)


def test_báo_cáo_kết_thúc_bằng_một_dòng_tổng_hợp() -> None:
    full = Judged(turn("nonempty"), Reply(texts=("Chào bạn",)), 1.0)
    half = Judged(turn("code=1.001193"), Reply(buttons=("Khai sinh", "1.001193")), 0.5)
    lines = Report([full, half]).lines()
    assert lines[-1] == "chat_eval score=0.750 full=1 n=2"
    assert any("cần: code=1.001193" in line for line in lines)
