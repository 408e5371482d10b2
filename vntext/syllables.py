"""The syllables Vietnamese words are written with, from the word list underthesea ships (Hồ Ngọc Đức's
dictionary, 74K words; offline): a word typed with diacritics that is none of them is mistyped ("cươc",
"tuôi")."""

from __future__ import annotations

from functools import cache

from underthesea.corpus import viet_dict_74K

from vntext.normalize import normalize

__all__ = ["vietnamese_syllables"]


@cache
def vietnamese_syllables() -> frozenset[str]:
    return frozenset(s for word in viet_dict_74K.words for s in normalize(word).replace("-", " ").split())
