"""Unicode and tone-mark normalisation of Vietnamese text.

Vietnamese text reaches us in two tone placements: the traditional one (hòa, thủy, khỏe) and the
"new" one (hoà, thuỷ, khoẻ). The national catalogue mostly uses the traditional placement
(thủy 7,672 times vs thuỷ 381; hóa 7,572 vs hoá 829; ủy 15,138 vs uỷ 676), and so does underthesea's
own text_normalize, so that is our canonical form. The rules are implemented here rather than
with underthesea's lookup table because that table only covers short tokens it has seen and its
tokenizer changes spacing.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["folded_words", "has_diacritics", "nfc", "normalize", "strip_accents", "unify_tone_marks"]

# Combining tone marks in index order 1..5: sắc, huyền, hỏi, ngã, nặng.
_TONE_MARKS = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
_BASE_VOWELS = "aăâeêioôơuưy"
# Vowels whose letter carries its own modifier (breve, circumflex, horn): the tone goes there.
_MODIFIED_VOWELS = set("ăâêôơư")


def _build_vowel_tables() -> tuple[dict[str, tuple[str, int]], dict[tuple[str, int], str]]:
    decompose: dict[str, tuple[str, int]] = {}
    compose: dict[tuple[str, int], str] = {}
    for base in _BASE_VOWELS + _BASE_VOWELS.upper():
        compose[(base, 0)] = base
        decompose[base] = (base, 0)
        for tone, mark in enumerate(_TONE_MARKS, start=1):
            toned = unicodedata.normalize("NFC", base + mark)
            compose[(base, tone)] = toned
            decompose[toned] = (base, tone)
    return decompose, compose


_DECOMPOSE, _COMPOSE = _build_vowel_tables()

_ONSETS = frozenset(
    {"", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh"}
    | {"p", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x"}
)
_CODAS = frozenset(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"])
_WORD = re.compile(r"[^\W\d_]+")


def nfc(text: str) -> str:
    """Canonical composition: one code point per accented letter, whatever the keyboard sent."""
    return unicodedata.normalize("NFC", text)


def _tone_position(vowels: str, has_coda: bool) -> int:
    """Index in the vowel nucleus that carries the tone (traditional placement)."""
    modified = [i for i, v in enumerate(vowels) if v in _MODIFIED_VOWELS]
    if modified:
        return modified[-1]  # ươ → ơ, uyê → ê, ưu → ư
    if has_coda or len(vowels) == 1:
        return len(vowels) - 1  # hoàng, quỳnh, toán
    if len(vowels) == 3:
        return 1  # ngoài, khuỷu, ngoẹo
    return 0  # hòa, thủy, khỏe, mùa, mía, tài


@lru_cache(maxsize=65536)  # Vietnamese has ~7,000 syllables: nearly every call is a cache hit
def _unify_syllable(word: str) -> str:
    letters = []
    tones = []
    for ch in word:
        base, tone = _DECOMPOSE.get(ch, (ch, 0))
        letters.append(base)
        tones.append(tone)
    toned = [i for i, t in enumerate(tones) if t]
    if len(toned) != 1:
        return word  # no tone to move, or not a single Vietnamese syllable
    lower = "".join(letters).lower()
    # Onset: the consonants before the first vowel; "qu" and "gi" + vowel are onsets of their own.
    start = 0
    while start < len(lower) and lower[start] not in _BASE_VOWELS:
        start += 1
    if start == 1 and lower[:2] in ("qu", "gi") and lower[2:3] and lower[2] in _BASE_VOWELS:
        start = 2
    end = start
    while end < len(lower) and lower[end] in _BASE_VOWELS:
        end += 1
    onset, vowels, coda = lower[:start], lower[start:end], lower[end:]
    if not vowels or onset not in _ONSETS or coda not in _CODAS or len(vowels) > 3:
        return word
    target = start + _tone_position(vowels, bool(coda))
    if target == toned[0]:
        return word
    tone = tones[toned[0]]
    tones[toned[0]] = 0
    tones[target] = tone
    return "".join(_COMPOSE.get((b, t), b) for b, t in zip(letters, tones, strict=True))


def unify_tone_marks(text: str) -> str:
    """Move tone marks to the canonical (traditional) position: hoà → hòa, thuỷ → thủy, qủa → quả.

    Only words that parse as one Vietnamese syllable with one tone mark are touched; the length
    in code points of NFC text is preserved.
    """
    text = nfc(text)
    if text.isascii():
        return text
    # Token by token through a cache: catalogue-sized texts repeat the same tokens endlessly.
    return " ".join([_unify_token(token) for token in text.split(" ")])


@lru_cache(maxsize=65536)
def _unify_token(token: str) -> str:
    return _WORD.sub(_unify_match, token)


def _unify_match(match: re.Match[str]) -> str:
    return _unify_syllable(match.group())


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) == "Mn"


def _drop_orphan_marks(words: list[str]) -> list[str]:
    # A mark typed after a space has no letter to sit on: drop it, or it would survive as noise.
    cleaned = []
    for word in words:
        start = 0
        while start < len(word) and _is_mark(word[start]):
            start += 1
        if start < len(word):
            cleaned.append(word[start:])
    return cleaned


def normalize(text: str) -> str:
    """NFC, canonical tone placement, lowercase and single spaces: the form used for matching."""
    words = _drop_orphan_marks(nfc(nfc(text).lower()).split())
    return unify_tone_marks(" ".join(words))


@lru_cache(maxsize=4096)
def _strip_char(ch: str) -> str:
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    decomposed = unicodedata.normalize("NFD", ch)
    if len(decomposed) == 1:
        return ch
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not _is_mark(c)))


def strip_accents(text: str) -> str:
    """Remove every diacritic, including the bar of đ: "Đăng ký khai sinh" → "Dang ky khai sinh"."""
    text = nfc(text)
    if text.isascii():
        return text
    stripped = "".join(_strip_char(ch) for ch in text if not _is_mark(ch))
    return nfc(stripped)


def has_diacritics(text: str) -> bool:
    """True when the text carries any accent (or đ), i.e. the writer typed Vietnamese marks."""
    return strip_accents(text) != nfc(text)


def folded_words(text: str) -> list[str]:
    """The words of the text, normalized, without diacritics or punctuation: how names and messages
    are compared word by word."""
    return re.findall(r"\w+", strip_accents(normalize(text)))
