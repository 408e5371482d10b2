"""When a dossier lookup brings in the second factor (the last 4 digits of the registered phone).

The citizen either typed phone digits next to the dossier code, or asked about the applicant
("tên người nộp", "ai đứng tên"…): then the answer may show personal data, once the digits match.
"""

from __future__ import annotations

import re

from vntext.dossier_codes import DOSSIER_CODE_PATTERN
from vntext.normalize import normalize, strip_accents

_PERSONAL_WORDS = ("nguoi nop", "dung ten", "chu ho so", "thong tin ca nhan", "ten nguoi", "ai nop")
# A phone number or its last 4 digits; not part of a code, a date ("28/11/2026") or a word.
_DIGIT_GROUPS = re.compile(r"(?<![\w./-])\+?\d[\d .]{2,14}\d(?![\w/-])")


def last_four_beside(text: str, code_pattern: str = DOSSIER_CODE_PATTERN) -> str | None:
    """The last 4 digits of a phone number (or those 4 alone) typed next to a dossier code, or next to
    the number ``code_pattern`` matches (a feedback's); the code's own digits do not count."""
    for match in _DIGIT_GROUPS.finditer(re.sub(code_pattern, " ", text, flags=re.IGNORECASE)):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) == 4 or 9 <= len(digits) <= 12:
            return digits[-4:]
    return None


def asks_personal_details(text: str) -> bool:
    plain = strip_accents(normalize(text))
    return any(word in plain for word in _PERSONAL_WORDS)
