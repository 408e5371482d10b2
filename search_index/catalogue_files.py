"""Read a catalogue file, whatever its format, without ever aborting on a bad record.

Accepted, detected automatically:
- our own format: a JSON list of Procedure objects, or JSONL with one Procedure per line;
- National Public Service Portal records (``ma_thu_tuc``, ``ten_thu_tuc``, …) as JSONL,
  optionally gzip-compressed, as in ``../shared/data/dvcqg/procedures.jsonl.gz``.
The format is recognised per record, so a file mixing both still loads. Bad records (broken
JSON, invalid UTF-8, wrong types, missing code or name) are skipped and reported with their
line number and the reason.
"""

from __future__ import annotations

import gzip
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from search_index.catalogue import Procedure
from search_index.portal_import import InvalidRecord, parse_portal_record

__all__ = ["DEMO_CATALOGUE", "CatalogueLoad", "SkippedRecord", "load_catalogue", "parse_catalogue_record"]

DEMO_CATALOGUE = Path(__file__).parent / "data" / "demo_catalogue.json"

_GZIP_MAGIC = b"\x1f\x8b"


class SkippedRecord(NamedTuple):
    line: int  # line number in a JSONL file, position (from 1) in a JSON list
    reason: str


@dataclass
class CatalogueLoad:
    path: Path
    procedures: list[Procedure] = field(default_factory=list)
    skipped: list[SkippedRecord] = field(default_factory=list)

    def skipped_reasons(self) -> list[tuple[str, str]]:
        """(where, why) pairs, worded for a person reading an import report."""
        return [(f"{self.path.name} dòng {s.line}", s.reason) for s in self.skipped]


def _validation_reason(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    more = f" (và {error.error_count() - 1} lỗi khác)" if error.error_count() > 1 else ""
    return f"sai định dạng Procedure: {where}: {first['msg']}{more}"


def parse_catalogue_record(record: Any) -> Procedure:
    """A Procedure from either our own format or a portal record; InvalidRecord says why not."""
    if not isinstance(record, dict):
        raise InvalidRecord(f"bản ghi không phải đối tượng JSON ({type(record).__name__})")
    if "ma_thu_tuc" in record:
        return parse_portal_record(record)
    if "code" not in record:
        raise InvalidRecord("không nhận ra định dạng: thiếu cả 'code' lẫn 'ma_thu_tuc'")
    try:
        return Procedure.model_validate(record)
    except ValidationError as error:
        raise InvalidRecord(_validation_reason(error)) from error


def _read(path: Path) -> tuple[bytes, str]:
    """The file's bytes (decompressed if gzip) and, if a compressed file breaks off, why."""
    with path.open("rb") as stream:
        if stream.read(2) != _GZIP_MAGIC:
            stream.seek(0)
            return stream.read(), ""
    chunks: list[bytes] = []
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read1(1 << 16):  # read1: keep what decompressed before a break
                chunks.append(chunk)
    except (EOFError, OSError, zlib.error) as error:
        return b"".join(chunks), f"tệp nén bị hỏng, phần sau bị mất: {error}"
    return b"".join(chunks), ""


def load_catalogue(path: Path | str) -> CatalogueLoad:
    """Load every usable procedure from ``path``; raises only if the file cannot be read at all."""
    path = Path(path)
    loaded = CatalogueLoad(path=path)
    data, broken = _read(path)
    lines = data.split(b"\n")
    if not _load_json_list(loaded, data, lines):
        for number, raw in enumerate(lines, start=1):
            _load_line(loaded, number, raw)
    if broken:
        loaded.skipped.append(SkippedRecord(len(lines), broken))
    return loaded


def _load_line(loaded: CatalogueLoad, number: int, raw: bytes) -> None:
    try:
        text = raw.decode("utf-8").lstrip("\ufeff").strip()
    except UnicodeDecodeError:
        loaded.skipped.append(SkippedRecord(number, "không phải văn bản UTF-8"))
        return
    if not text:
        return
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        loaded.skipped.append(SkippedRecord(number, f"JSON không hợp lệ: {error.msg} (cột {error.colno})"))
        return
    _add(loaded, number, record)


def _add(loaded: CatalogueLoad, line: int, record: Any) -> None:
    try:
        loaded.procedures.append(parse_catalogue_record(record))
    except InvalidRecord as error:
        loaded.skipped.append(SkippedRecord(line, error.reason))


def _load_json_list(loaded: CatalogueLoad, data: bytes, lines: list[bytes]) -> bool:
    """Load a whole-file JSON list; False when the file is not one (then it is read as JSONL)."""
    first = next((line.strip() for line in lines if line.strip()), b"")
    if not first.lstrip(b"\xef\xbb\xbf").startswith(b"["):
        return False
    try:
        records = json.loads(data.decode("utf-8").lstrip("\ufeff"))
    except UnicodeDecodeError:
        return False
    except json.JSONDecodeError as error:
        try:
            json.loads(first)
        except (json.JSONDecodeError, UnicodeDecodeError):
            # A pretty-printed list with a syntax error: nothing in it can be trusted.
            reason = f"JSON không hợp lệ, cả danh sách bị bỏ qua: {error.msg} (cột {error.colno})"
            loaded.skipped.append(SkippedRecord(error.lineno, reason))
            return True
        return False  # JSONL whose first line happens to be a list
    if not isinstance(records, list):
        return False
    for position, record in enumerate(records, start=1):
        _add(loaded, position, record)
    return True
