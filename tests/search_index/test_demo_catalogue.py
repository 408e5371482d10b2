"""Specification of the demo catalogue that ships with the repository.

`search_index/data/demo_catalogue.json` holds the procedures citizens ask about most, written by us from
the facts of the national portal. `make run` answers from it, so every entry must be complete enough to
answer each aspect question (documents, fee, time, where to submit, steps, legal basis).
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from search_index.catalogue import OnlineLevel, Procedure
from search_index.settings import real_catalogue_file

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_FILE = REPO_ROOT / "search_index" / "data" / "demo_catalogue.json"
PORTAL_CATALOGUE = real_catalogue_file()
NATIONAL_CODE = re.compile(r"^\d\.\d{6}$")
PORTAL_URL = re.compile(r"^https://dichvucong\.gov\.vn/")
# Vietnamese legal document numbers: "60/2014/QH13", "123/2015/NĐ-CP", "595/QĐ-BHXH"
LEGAL_NUMBER = re.compile(r"^\d+(\.\d+)?/(\d{4}/)?[A-ZĐ][A-ZĐ0-9-]*$")
# Old-style tone placement on a syllable-final "oa", "oe", "uy" (hoà, khoẻ, thuỷ); "quý", "hoàn" are fine.
OLD_TONE_PLACEMENT = re.compile(r"o[àáảãạ](?!\w)|o[èéẻẽẹ](?!\w)|(?<![qQ])u[ỳýỷỹỵ](?!\w)")

# The topics citizens ask about most, by national code (mã thủ tục), each must be in the demo catalogue.
REQUIRED_TOPICS: dict[str, list[str]] = {
    "khai sinh": ["1.001193", "1.004884", "2.000528", "1.000689"],
    "kết hôn": ["1.000894", "1.004746", "2.000806"],
    "khai tử": ["1.000656", "1.005461"],
    "xác nhận tình trạng hôn nhân": ["1.004873"],
    "thay đổi, cải chính hộ tịch": ["1.004859"],
    "bản sao trích lục hộ tịch": ["2.000635"],
    "thường trú": ["1.004222", "1.003197"],
    "tạm trú": ["1.004194", "1.002755", "1.010028"],
    "tạm vắng": ["1.003677"],
    "căn cước": ["1.014061", "1.014063", "1.014064"],
    "giấy chứng nhận căn cước": ["1.014065", "1.014067", "1.014068"],
    "hộ chiếu": ["1.001456"],
    "giấy phép lái xe": ["3.000346", "3.000347", "3.000348"],
    "lý lịch tư pháp": ["3.000333"],
    "chứng thực": ["2.000815", "2.000884", "2.001035", "2.001406"],
    "giấy phép xây dựng nhà ở riêng lẻ": ["1.013225", "1.013227", "1.013228"],
    "đất đai": ["1.013978", "1.012783", "1.012786", "1.013831", "1.012784", "1.013949", "1.012790"],
    "hộ kinh doanh": ["1.001612", "2.000720", "1.001570", "1.001266"],
    "thành lập doanh nghiệp": ["2.001583", "2.001199", "2.002043", "2.001610"],
    "mã số thuế cá nhân": ["1.008498", "1.008501"],
    "bảo hiểm y tế": ["1.001939", "1.002759"],
    "đăng ký xe": ["1.013067", "1.013076", "1.013086", "1.013079"],
    "an toàn thực phẩm": ["2.001827"],
    "trợ giúp pháp lý": ["2.000829"],
}


def _load_raw() -> list[dict[str, Any]]:
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


@pytest.fixture(scope="module")
def raw_entries() -> list[dict[str, Any]]:
    return _load_raw()


@pytest.fixture(scope="module")
def procedures(raw_entries: list[dict[str, Any]]) -> list[Procedure]:
    return [Procedure.model_validate(entry) for entry in raw_entries]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


@pytest.mark.parametrize("index", range(len(_load_raw())))
def test_moi_thu_tuc_hop_le_theo_mo_hinh(index: int, raw_entries: list[dict[str, Any]]) -> None:
    procedure = Procedure.model_validate(raw_entries[index])
    assert procedure.name.strip()
    assert procedure.levels, procedure.code
    assert procedure.field.strip(), procedure.code
    assert procedure.agencies, procedure.code
    assert procedure.submission_address.strip(), procedure.code
    assert procedure.result.strip(), procedure.code
    assert PORTAL_URL.match(procedure.source_url), procedure.code


def test_co_it_nhat_50_thu_tuc(procedures: list[Procedure]) -> None:
    assert len(procedures) >= 50


def test_ma_thu_tuc_duy_nhat_va_dung_dinh_dang_quoc_gia(procedures: list[Procedure]) -> None:
    codes = [p.code for p in procedures]
    assert len(codes) == len(set(codes)), sorted(c for c in codes if codes.count(c) > 1)
    malformed = [c for c in codes if not NATIONAL_CODE.match(c)]
    assert not malformed


def test_moi_thu_tuc_co_kenh_nop_voi_thoi_han_va_phi(procedures: list[Procedure]) -> None:
    for p in procedures:
        assert p.channels, p.code
        kinds = [c.kind for c in p.channels]
        assert len(kinds) == len(set(kinds)), p.code
        for c in p.channels:
            assert c.processing_time.strip() and c.fee.strip(), (p.code, c.kind)
            # processing_days is given exactly when the time is stated in working days
            assert (c.processing_days is not None) == ("ngày làm việc" in c.processing_time), (p.code, c.kind)
            if c.processing_days is not None:
                assert 0 < c.processing_days <= 60, (p.code, c.kind)
            if c.fee_vnd is not None:
                assert c.fee_vnd >= 0, (p.code, c.kind)
            if c.fee_vnd == 0:
                assert re.search(r"miễn|không thu", c.fee.lower()), (p.code, c.kind, c.fee)


def test_muc_do_truc_tuyen_khop_voi_kenh_nop(procedures: list[Procedure]) -> None:
    for p in procedures:
        has_online = any(c.kind == "trực tuyến" for c in p.channels)
        if p.online_level is OnlineLevel.FULL:
            assert has_online, p.code
        if not has_online:
            assert p.online_level is OnlineLevel.NONE, p.code


def test_moi_thu_tuc_co_giay_to_buoc_can_cu(procedures: list[Procedure]) -> None:
    for p in procedures:
        assert p.documents or "không phải nộp" in p.conditions, p.code
        for d in p.documents:
            assert d.name.strip() and d.originals + d.copies >= 1, (p.code, d.name)
        assert 3 <= len(p.steps) <= 6, p.code
        assert p.legal_basis, p.code
        for law in p.legal_basis:
            assert LEGAL_NUMBER.match(law.number) and law.title.strip(), (p.code, law.number)


@pytest.mark.parametrize("topic", sorted(REQUIRED_TOPICS))
def test_bao_phu_cac_chu_de_pho_bien(topic: str, procedures: list[Procedure]) -> None:
    codes = {p.code for p in procedures}
    missing = [code for code in REQUIRED_TOPICS[topic] if code not in codes]
    assert not missing, f"{topic}: thiếu {missing}"


def test_van_ban_o_dang_nfc_va_bo_dau_kieu_moi(raw_entries: list[dict[str, Any]]) -> None:
    for entry in raw_entries:
        for text in _strings(entry):
            assert unicodedata.normalize("NFC", text) == text, (entry["code"], text)
            assert text == text.strip() and "  " not in text, (entry["code"], text)
            assert not OLD_TONE_PLACEMENT.search(text), (entry["code"], text)


def test_ma_thu_tuc_co_that_tren_cong_dich_vu_cong(procedures: list[Procedure]) -> None:
    """Every code comes from the national records, never invented; links point at the record's own page."""
    with gzip.open(PORTAL_CATALOGUE, "rt", encoding="utf-8") as lines:
        portal = {record["ma_thu_tuc"]: record for record in map(json.loads, lines)}
    for p in procedures:
        assert p.code in portal, f"{p.code} không có trong danh mục quốc gia"
        detail_url = portal[p.code]["detail_url"]
        if detail_url.startswith("https://"):
            assert p.source_url == detail_url, p.code
