"""Vietnamese text handling shared by search, NLU (inside the Rasa venv, Python 3.10) and actions.

Only the standard library and underthesea; underthesea itself is imported lazily by ``segment``.
"""

from vntext.abbreviations import ABBREVIATIONS, expand_abbreviations
from vntext.dossier_codes import (
    DOSSIER_CODE_PATTERN,
    canonical_dossier_code,
    find_dossier_codes,
    looks_like_attempted_code,
)
from vntext.normalize import folded_words, has_diacritics, nfc, normalize, strip_accents, unify_tone_marks
from vntext.procedure_codes import NATIONAL_CODE
from vntext.segment import segment
from vntext.tracking_numbers import FEEDBACK_CODE_PATTERN, find_tracking_number

__all__ = [
    "ABBREVIATIONS",
    "DOSSIER_CODE_PATTERN",
    "FEEDBACK_CODE_PATTERN",
    "NATIONAL_CODE",
    "canonical_dossier_code",
    "expand_abbreviations",
    "find_dossier_codes",
    "find_tracking_number",
    "folded_words",
    "has_diacritics",
    "looks_like_attempted_code",
    "nfc",
    "normalize",
    "segment",
    "strip_accents",
    "unify_tone_marks",
]
