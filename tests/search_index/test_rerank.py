"""The re-ranker: what its features say about a candidate, and that its weights are the shipped ones."""

from __future__ import annotations

import json

import numpy as np
import pytest

from search_index.catalogue import Level, Procedure
from search_index.families import cues
from search_index.rerank import FEATURES, WEIGHTS_FILE, Candidate, Reranker, TermStats, features

NAMES = [
    "Đăng ký khai sinh",
    "Đăng ký khai tử",
    "Đăng ký kết hôn",
    "Cấp lại Giấy chứng nhận đăng ký xe do bị mất",
    "Cấp lại giấy phép lái xe do bị mất",
    "Cấp giấy chứng nhận quyền sử dụng đất lần đầu đối với tổ chức",
]
SERVED = frozenset({Level.PROVINCE, Level.COMMUNE})


def procedure(name: str, **extra: object) -> Procedure:
    return Procedure(code=f"1.{abs(hash(name)) % 10**6:06d}", name=name, levels=[Level.COMMUNE], **extra)


def row(message: str, candidate: Candidate, *others: Candidate) -> dict[str, float]:
    rows = features(message, message, [candidate, *others], TermStats(NAMES), cues(message), SERVED)
    return dict(zip(FEATURES, rows[0], strict=True))


def test_tu_hiem_trong_ten_nang_hon_tu_chung() -> None:
    # The message covers the words that set this name apart, not only "cấp lại … do bị mất".
    message = "cấp lại bằng lái xe bị mất giấy phép lái xe"
    mat_bang = row(message, Candidate(procedure(NAMES[4]), dense=0.8, dense_rank=0))
    mat_ca_vet = row(message, Candidate(procedure(NAMES[3]), dense=0.8, dense_rank=0))
    assert mat_bang["pairs_covered"] > mat_ca_vet["pairs_covered"]
    assert mat_bang["name_covered"] > mat_ca_vet["name_covered"]


def test_ho_so_chi_danh_cho_to_chuc_bi_danh_dau_khi_cong_dan_hoi() -> None:
    to_chuc = procedure(NAMES[5], applicants=["Doanh nghiệp", "Tổ chức"])
    candidate = Candidate(to_chuc, sparse=3.0, sparse_rank=0)
    assert row("làm sổ đỏ lần đầu", candidate)["organisations_only"] == 1.0
    assert row("công ty tôi làm sổ đỏ lần đầu", candidate)["organisations_only"] == 0.0


def test_thu_tuc_cua_doanh_nghiep_bi_danh_dau_khi_cong_dan_hoi() -> None:
    # Its applicants name "Công dân Việt Nam" too: only the name tells it is an enterprise's.
    doanh_nghiep = procedure(
        "Thông báo tạm ngừng kinh doanh (doanh nghiệp, chi nhánh, văn phòng đại diện, địa điểm kinh doanh)",
        applicants=["Công dân Việt Nam", "Doanh nghiệp"],
    )
    ho_kinh_doanh = procedure("Tạm ngừng kinh doanh của hộ kinh doanh", applicants=["Công dân Việt Nam"])
    for message, candidate, marked in (
        ("tạm ngừng kinh doanh", doanh_nghiep, 1.0),
        ("công ty tôi tạm ngừng kinh doanh", doanh_nghiep, 0.0),
        ("tạm ngừng kinh doanh", ho_kinh_doanh, 0.0),
    ):
        assert row(message, Candidate(candidate, dense=0.8, dense_rank=0))["enterprise_named"] == marked


def test_ben_khong_tim_thay_thi_khong_co_diem_cua_ben_do() -> None:
    only_sparse = row("đăng ký khai sinh", Candidate(procedure(NAMES[0]), sparse=2.0, sparse_rank=0))
    assert only_sparse["dense_rr"] == 0.0 and only_sparse["both_sides"] == 0.0
    assert only_sparse["sparse"] == 1.0 and only_sparse["sparse_rr"] == pytest.approx(0.5)


def test_trong_so_di_kem_ma_nguon_co_du_moi_dac_trung() -> None:
    shipped = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    assert set(shipped["weights"]) == set(FEATURES)
    # Learned on our tune queries, never on the dev files of ../shared/eval.
    assert shipped["trained_on"] == "search_tune.tsv"
    assert Reranker.load().fit_floor == shipped["fit_floor"]


def test_ung_vien_tot_nhat_duoi_nguong_thi_khong_khop_thu_tuc_nao() -> None:
    rows = np.array([[0.2, 0.1], [0.5, 0.3]])
    reranker = Reranker(np.array([1.0, 1.0]), fit_floor=0.7)
    assert reranker.fits(rows)  # 0.5 + 0.3 reaches the floor
    assert not Reranker(reranker.weights, fit_floor=0.9).fits(rows)
    assert not reranker.fits(np.zeros((0, 2)))


def test_do_tin_cay_cong_lai_bang_mot_va_ten_dung_dung_dau() -> None:
    reranker = Reranker.load()
    message = "đăng ký khai tử cho bố"
    candidates = [
        Candidate(procedure(NAMES[0]), dense=0.85, dense_rank=0, sparse=2.0, sparse_rank=1),
        Candidate(procedure(NAMES[1]), dense=0.84, dense_rank=1, sparse=3.0, sparse_rank=0),
    ]
    rows = features(message, message, candidates, TermStats(NAMES), cues(message), SERVED)
    confidences = reranker.confidences(rows)
    assert confidences.sum() == pytest.approx(1.0)
    assert int(np.argmax(confidences)) == 1


def test_khong_hoc_tu_tep_dev_dung_chung() -> None:
    from search_index.settings import shared_data_dir
    from search_index.train_rerank import main

    assert main(["--tune", str(shared_data_dir() / "eval" / "search_dev.tsv")]) == 2
