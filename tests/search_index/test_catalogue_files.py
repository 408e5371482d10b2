"""Catalogue files of every accepted format load; bad records are skipped and reported, never fatal."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from search_index.catalogue import Procedure
from search_index.catalogue_files import DEMO_CATALOGUE, load_catalogue, parse_catalogue_record
from search_index.portal_import import InvalidRecord
from search_index.settings import real_catalogue_file

PORTAL_RECORD = {
    "ma_thu_tuc": "1.001193",
    "ten_thu_tuc": "Thủ tục đăng ký khai sinh",
    "cap_thuc_hien": "Cấp xã",
    "cach_thuc_thuc_hien": "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến1Miễn phíTrực tiếp1Miễn phí",
}
OWN_RECORD = {"code": "1.004222", "name": "Đăng ký thường trú", "levels": ["xã"]}


@pytest.mark.slow
def test_nap_toan_bo_danh_muc_quoc_gia() -> None:
    loaded = load_catalogue(real_catalogue_file())
    assert len(loaded.skipped) <= 5, loaded.skipped[:5]
    assert len(loaded.procedures) + len(loaded.skipped) == 2642
    codes = [p.code for p in loaded.procedures]
    assert len(set(codes)) == len(codes)
    with_channels = sum(1 for p in loaded.procedures if p.channels)
    with_documents = sum(1 for p in loaded.procedures if p.documents)
    with_legal_basis = sum(1 for p in loaded.procedures if p.legal_basis)
    # Measured: 2,642 / 2,594 / 2,566 (48 records have no document table, 77 no legal basis).
    assert with_channels >= 2600 and with_documents >= 2550 and with_legal_basis >= 2500


def test_nap_danh_muc_mau_dang_danh_sach_json() -> None:
    loaded = load_catalogue(DEMO_CATALOGUE)
    assert loaded.skipped == []
    assert len(loaded.procedures) >= 50


def test_jsonl_cua_chung_ta_giu_nguyen_noi_dung(tmp_path: Path) -> None:
    procedures = [parse_catalogue_record(PORTAL_RECORD), Procedure.model_validate(OWN_RECORD)]
    path = tmp_path / "catalogue.jsonl"
    path.write_text("\n".join(p.model_dump_json() for p in procedures) + "\n", encoding="utf-8")
    loaded = load_catalogue(path)
    assert loaded.skipped == []
    assert [p.content_hash for p in loaded.procedures] == [p.content_hash for p in procedures]


def test_danh_sach_json_bo_qua_phan_tu_hong_theo_vi_tri(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([OWN_RECORD, {"code": "1.0"}, "chuỗi", PORTAL_RECORD], ensure_ascii=False))
    loaded = load_catalogue(path)
    assert [p.code for p in loaded.procedures] == ["1.004222", "1.001193"]
    assert [s.line for s in loaded.skipped] == [2, 3]
    assert "name" in loaded.skipped[0].reason
    assert "không phải đối tượng JSON" in loaded.skipped[1].reason


def test_danh_sach_json_sai_cu_phap_bao_mot_loi(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps([OWN_RECORD, OWN_RECORD], indent=1)[:-3] + "\n]", encoding="utf-8")
    loaded = load_catalogue(path)
    assert loaded.procedures == []
    assert len(loaded.skipped) == 1
    assert "cả danh sách bị bỏ qua" in loaded.skipped[0].reason


def _portal_lines() -> list[bytes]:
    good = json.dumps(PORTAL_RECORD, ensure_ascii=False).encode()
    return [
        good,  # 1
        b'{"ma_thu_tuc": "1.000001", "ten_thu_tuc": "Th',  # 2: cut off mid-line
        b"",  # 3: blank, ignored
        b"[1, 2]",  # 4: a list, not a record
        b"42",  # 5
        '{"ma_thu_tuc": "1.000002", "ten_thu_tuc": "Đăng ký"}'.encode("utf-16"),  # 6: not UTF-8
        json.dumps({"ma_thu_tuc": "1.000003", "ten_thu_tuc": ""}).encode(),  # 7: no name
        json.dumps({"ten": "không rõ định dạng"}).encode(),  # 8
        json.dumps(OWN_RECORD, ensure_ascii=False).encode(),  # 9: our own format, mixed in
        json.dumps({**PORTAL_RECORD, "ma_thu_tuc": "1.000004", "linh_vuc": ["Hộ tịch"]}).encode(),  # 10
    ]


def test_dong_hong_trong_jsonl_gz_bi_bo_qua_va_bao_cao(tmp_path: Path) -> None:
    path = tmp_path / "procedures.jsonl.gz"
    path.write_bytes(gzip.compress(b"\n".join(_portal_lines()) + b"\n"))
    loaded = load_catalogue(path)
    assert [p.code for p in loaded.procedures] == ["1.001193", "1.004222"]
    reasons = dict(loaded.skipped)
    assert sorted(reasons) == [2, 4, 5, 6, 7, 8, 10]
    assert reasons[2].startswith("JSON không hợp lệ")
    assert "không phải đối tượng JSON (list)" in reasons[4]
    assert "không phải đối tượng JSON (int)" in reasons[5]
    assert reasons[6] == "không phải văn bản UTF-8"
    assert "thiếu tên thủ tục" in reasons[7]
    assert "không nhận ra định dạng" in reasons[8]
    assert "linh_vuc không phải chuỗi" in reasons[10]
    assert loaded.skipped_reasons()[0] == ("procedures.jsonl.gz dòng 2", reasons[2])


def test_tep_nen_bi_cat_cut_giu_phan_doc_duoc(tmp_path: Path) -> None:
    records = [json.dumps({**PORTAL_RECORD, "ma_thu_tuc": f"1.{i:06d}"}) for i in range(300)]
    compressed = gzip.compress("\n".join(records).encode())
    path = tmp_path / "broken.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) * 2 // 3])
    loaded = load_catalogue(path)
    assert 0 < len(loaded.procedures) < 300
    assert "tệp nén bị hỏng" in loaded.skipped[-1].reason


def test_tep_rong_khong_co_thu_tuc(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("\n\n", encoding="utf-8")
    loaded = load_catalogue(path)
    assert (loaded.procedures, loaded.skipped) == ([], [])


def test_thieu_tep_bao_loi_ro_rang(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_catalogue(tmp_path / "không-có.jsonl")


def test_ban_ghi_sai_kieu_procedure_bao_truong_loi() -> None:
    with pytest.raises(InvalidRecord) as caught:
        parse_catalogue_record({"code": "1.004222", "name": "Đăng ký thường trú", "levels": ["huyện"]})
    assert "levels.0" in caught.value.reason
