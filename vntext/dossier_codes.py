"""One-stop-shop dossier receipt codes (mã hồ sơ): ``<unit code>-<yyMMdd>-<NNNN>``.

The unit code is the receiving agency's identifier (mã định danh, QCVN 102:2016): dot-separated
segments one of which is a letter plus two digits (H56 = a province, G22 = a ministry), e.g.
``000.00.06.H56``, ``H56.14``, ``38.98.H29``. That letter segment is what tells a dossier code
apart from a phone number (0905-123-456) or a national procedure code (1.001193).
Citizens type codes in lowercase, with spaces around the dashes, or with a typographic dash.
"""

from __future__ import annotations

import re
from datetime import datetime

__all__ = [
    "DOSSIER_CODE_PATTERN",
    "canonical_dossier_code",
    "find_dossier_codes",
    "looks_like_attempted_code",
]

_UNIT = r"(?:[0-9A-Za-z]{1,4}\.){0,4}[A-Za-z][0-9]{2}(?:\.[0-9A-Za-z]{1,4}){0,4}"
_DASH = r"\s*[-–—]\s*"

# Plain Python regex, no inline flags: usable as a Rasa NLU regex as well.
DOSSIER_CODE_PATTERN = rf"(?<![\w.]){_UNIT}{_DASH}[0-9]{{6}}{_DASH}[0-9]{{4}}(?![\w-])"

_CODE = re.compile(DOSSIER_CODE_PATTERN)
_SPACED_DASH = re.compile(_DASH)
# Shapes that show an attempt at a code: a unit code followed by a dash, a date-sequence tail,
# or the three parts separated by spaces/nothing instead of dashes.
_ATTEMPTS = (
    re.compile(rf"(?<![\w.]){_UNIT}{_DASH}[0-9]"),
    re.compile(rf"(?<![\w.])[0-9]{{6}}{_DASH}[0-9]{{3,}}"),
    re.compile(rf"(?<![\w.]){_UNIT}\s*[0-9]{{6}}\s*[0-9]{{3,}}"),
    # The dot of the unit code left out ("H5614-261110"): a letter, digits, a dash, digits.
    re.compile(rf"(?<![\w.])[A-Za-z][0-9]{{3,}}{_DASH}[0-9]{{4,}}"),
)


def _valid_date(yymmdd: str) -> bool:
    try:
        datetime.strptime(yymmdd, "%y%m%d")
    except ValueError:
        return False
    return True


def canonical_dossier_code(raw: str) -> str | None:
    """The canonical form (uppercase, plain dashes, no spaces) of one code, or None if malformed."""
    match = _CODE.fullmatch(raw.strip())
    if match is None:
        return None
    code = _SPACED_DASH.sub("-", match.group()).upper()
    unit, date, _number = code.rsplit("-", 2)
    return code if unit and _valid_date(date) else None


def find_dossier_codes(text: str) -> list[str]:
    """Every well-formed dossier code in the text, canonical, in order of appearance, no repeats."""
    found: list[str] = []
    for match in _CODE.finditer(text):
        code = canonical_dossier_code(match.group())
        if code is not None and code not in found:
            found.append(code)
    return found


def looks_like_attempted_code(text: str) -> bool:
    """True when the text holds something code-like that is not a valid code (to show the format)."""
    if find_dossier_codes(text):
        return False
    return any(pattern.search(text) for pattern in _ATTEMPTS)
