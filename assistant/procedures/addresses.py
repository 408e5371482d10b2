"""Where the citizen lives, as a post-2025 unit: old district/commune names → new ward/commune and province.

underthesea's ``convert_address`` (offline) does the mapping but wants comma-separated parts
("Phường Phúc Xá, Quận Ba Đình, Hà Nội"); citizens write "tôi ở phường phúc xá quận ba đình hà nội",
so the address is first cut out of the message and split at its unit words.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from underthesea.address.models import AdminUnit

log = logging.getLogger(__name__)

_UNIT_WORDS = (
    # Unaccented "xa" is left out on purpose: it is also a syllable of names ("Phúc Xá" → "phuc xa").
    r"phường|phuong|xã|thị trấn|thi tran|đặc khu|dac khu|quận|huyện|huyen|thị xã|thi xa|"
    r"thành phố|thanh pho|tp\.?|tỉnh"
)
# Unaccented "quan" and "tinh" are also "quán" (a shop) and "tính": a unit only where an address is
# introduced ("toi o quan 3", "tai tinh Nghe An", after a comma) or numbered ("quan 10").
_PLAIN_UNIT_WORDS = (
    r"(?:(?<=\bo )|(?<=\btai )|(?<=\bthuoc )|(?<=,)|(?<=, ))(?:quan|tinh)|(?:quan|tinh)(?= \d)"
)
# "cấp xã" names a level of government, not a place. ``_UNIT`` finds where an address starts;
# ``_UNIT_IN_ADDRESS`` splits one already found ("phuong phuc xa quan ba dinh").
_UNIT = re.compile(rf"(?<!\w)(?<!cấp )(?<!cap )(?:{_UNIT_WORDS}|{_PLAIN_UNIT_WORDS})(?=\s|\.)", re.IGNORECASE)
_UNIT_IN_ADDRESS = re.compile(
    rf"(?<!\w)(?<!cấp )(?<!cap )(?:{_UNIT_WORDS}|quan|tinh)(?=\s|\.)", re.IGNORECASE
)
_PROVINCE_ALIASES = {
    r"tp\.?\s*hcm|tphcm|hcm|sài gòn|sai gon|hồ chí minh|ho chi minh": "Thành phố Hồ Chí Minh",
    r"hn|hà nội|ha noi": "Thành phố Hà Nội",
}


@dataclasses.dataclass(frozen=True)
class Place:
    province: str
    ward: str | None = None  # post-2025 ward/commune/special zone, when it could be resolved
    note: str = ""

    def describe(self) -> str:
        return f"{self.ward}, {self.province}" if self.ward else self.province


def _address_part(text: str) -> str:
    """From the first unit word on (or the whole text), with a comma before every unit word."""
    first = _UNIT.search(text)
    part = text[first.start() :] if first else text
    part = _UNIT_IN_ADDRESS.sub(lambda m: f", {m.group()}", part).strip(" ,")
    for pattern, province in _PROVINCE_ALIASES.items():
        part = re.sub(rf"(?<!\w)(?:thành phố\s+|tp\.?\s*)?(?:{pattern})\s*$", province, part, flags=re.I)
    return re.sub(r"\s*,\s*(,\s*)*", ", ", part).strip(" ,?.!")


def _named_a_unit(old: AdminUnit) -> bool:
    """The citizen wrote a ward/commune, or a district introduced by its unit word."""
    return bool(old.ward) or bool(old.district and _UNIT_IN_ADDRESS.match(old.district))


def _candidates(part: str) -> list[str]:
    """The address as split, then with the province cut off the end of the last part ("Ba Đình Hà Nội")."""
    segments = [segment.strip() for segment in part.split(",") if segment.strip()]
    if not segments:
        return []
    candidates = [", ".join(segments)]
    words = segments[-1].split()
    for k in (2, 3, 4, 1):
        if len(words) > k:
            candidates.append(", ".join([*segments[:-1], " ".join(words[:-k]), " ".join(words[-k:])]))
    return candidates


def resolve_place(text: str) -> Place | None:
    """The post-2025 unit of an address in free text; None when no province can be recognised."""
    from underthesea import convert_address  # imported on use: it loads its mapping tables

    best = None
    for candidate in _candidates(_address_part(text)):
        try:
            result = convert_address(candidate)
        except Exception:
            log.exception("address conversion failed")
            return None
        if not result.new.province:
            continue
        if result.new.ward and not _named_a_unit(result.old):
            # A ward derived from a "district" that is really the start of the sentence ("tôi ở").
            result = dataclasses.replace(result, new=dataclasses.replace(result.new, ward=""))
        if best is None or (result.new.ward and not best.new.ward):
            best = result
        if best is not None and best.new.ward:
            break
    if best is None:
        return None
    result, new = best, best.new
    ward = new.ward or None
    note = ""
    if result.mapping_type is not None and result.mapping_type.value in ("merged", "renamed", "divided"):
        old = result.old.ward.title() if result.old.ward else ""
        note = f"Lưu ý: từ 01/7/2025, {old} nay thuộc {ward}." if old and ward else ""
    elif ward is None and result.old.ward and not result.old.district:
        # Already a two-level (post-2025) address, which the old-to-new table does not list:
        # keep the ward as written.
        ward = result.old.ward.title()
    return Place(province=new.province, ward=ward, note=note)


def without_address(text: str) -> str:
    """The message before its address ("nộp ở đâu, tôi ở phường X…" → "nộp ở đâu, tôi ở")."""
    first = _UNIT.search(text)
    return text[: first.start()] if first and first.start() > 0 else text


def localise_agency(agency: str, place: Place) -> str:
    """'Công an cấp xã' → 'Công an Phường Hồng Hà'; 'Công an tỉnh' → 'Công an Thành phố Hà Nội'."""
    if place.ward:
        agency = re.sub(r"cấp xã|xã, phường, đặc khu", place.ward, agency, flags=re.IGNORECASE)
    agency = re.sub(r"cấp tỉnh|(?<=\s)tỉnh(?=$|\W)", place.province, agency, flags=re.IGNORECASE)
    return agency
