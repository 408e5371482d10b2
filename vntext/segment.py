"""Word segmentation with underthesea that keeps codes, phone numbers and numbers whole.

underthesea's CRF splits ``000.00.06.H56-231027-0361`` into three tokens and glues a national
procedure code to the next word ("1.001193 phí"), so such spans are cut out first and only the
text between them is segmented.
"""

from __future__ import annotations

import re

from vntext.dossier_codes import DOSSIER_CODE_PATTERN
from vntext.normalize import unify_tone_marks

__all__ = ["PROTECTED_PATTERN", "segment"]

_PROCEDURE_CODE = r"(?<![\w.])[0-9]\.[0-9]{6}(?![\w.])"
# Vietnamese phone numbers: 0xxx or +84 followed by 9 digits, optionally grouped by spaces/dots/dashes.
_PHONE = r"(?<![\w.+])(?:\+84|0)(?:[\s.-]?[0-9]){9}(?![\w])"
# Amounts and dates with separators: 50.000, 1.500.000, 2,5, 10/12/2024.
_NUMBER = r"(?<![\w.,/])[0-9]+(?:[.,/][0-9]+)+(?![\w])"

PROTECTED_PATTERN = "|".join(f"(?:{p})" for p in (DOSSIER_CODE_PATTERN, _PROCEDURE_CODE, _PHONE, _NUMBER))
_PROTECTED = re.compile(PROTECTED_PATTERN)


def _word_tokenize(text: str) -> list[str]:
    # Imported here: underthesea loads its CRF model on import, which callers that only
    # normalise text should not pay for.
    from underthesea import word_tokenize

    tokens: list[str] = word_tokenize(text)
    return tokens


def segment(text: str) -> list[str]:
    """Words of the text in order; a multi-syllable word is one item ("đăng ký", "hồ sơ").

    Dossier codes, national procedure codes, phone numbers and separated numbers come back
    whole, exactly as written (with any spaces inside). Tone placement is unified first, as
    underthesea's dictionary expects.
    """
    text = unify_tone_marks(text)
    tokens: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        if text[position : match.start()].strip():
            tokens.extend(_word_tokenize(text[position : match.start()]))
        tokens.append(match.group().strip())
        position = match.end()
    if text[position:].strip():
        tokens.extend(_word_tokenize(text[position:]))
    return tokens
