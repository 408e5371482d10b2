"""BM25-style sparse vectors, computed by us and scored by Qdrant (``modifier=IDF`` supplies the IDF).

Terms are accent-stripped syllables plus syllable bigrams of the abbreviation-expanded, normalised
text. Syllables survive text typed without diacritics (where word segmenters mis-segment), and the
bigrams restore most of what word tokens would add ("cap lai" ≠ "lai cap").

Document weights are BM25's saturated term frequency with length normalisation against a fixed
average length, so a record's vector depends on that record alone: it can be cached and re-imported
without re-weighting the whole collection. Only full-weight fields count towards the length: a long
list of cases in parentheses or a field name adds terms to match, but must not make the name itself
look long (that buried "Cấp lại giấy phép xây dựng … (20 kinds of works)" under shorter, vaguer
names). Query weights are 1 per distinct term.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from vntext.abbreviations import expand_abbreviations
from vntext.normalize import normalize, strip_accents

K1 = 1.2
B = 0.75
# Typical term count of the full-weight fields (a name): fixed so vectors are per-record.
AVERAGE_DOCUMENT_TERMS = 40.0
# The same for a record's whole text (``record_text``): the mean over the national catalogue, ~1,450.
AVERAGE_TEXT_TERMS = 1450.0

_SYLLABLE = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class SparseVector:
    indices: list[int]
    values: list[float]


def syllables(text: str) -> list[str]:
    """Accent-stripped, lowercased syllables of ``text`` (abbreviations are not expanded here)."""
    return _SYLLABLE.findall(strip_accents(normalize(text)))


def terms(text: str) -> list[str]:
    """Syllables and syllable bigrams of ``text`` after normalisation and abbreviation expansion."""
    syl = syllables(expand_abbreviations(normalize(text)))
    return syl + [f"{a}_{b}" for a, b in itertools.pairwise(syl)]


def term_index(term: str) -> int:
    """A stable 32-bit index for a term (Qdrant sparse indices are u32; collisions are negligible)."""
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "big")


def query_vector(text: str) -> SparseVector:
    distinct = sorted({term_index(t) for t in terms(text)})
    return SparseVector(indices=distinct, values=[1.0] * len(distinct))


def document_vector(
    fields: Iterable[tuple[str, float]], average_terms: float = AVERAGE_DOCUMENT_TERMS
) -> SparseVector:
    """BM25 document weights over weighted fields, e.g. ``[(name, 1.0), (field, 0.3)]``.

    Fields weighted below 1 add to the term frequencies but not to the document length;
    ``average_terms`` is the length a document of this kind typically has.
    """
    tf: defaultdict[int, float] = defaultdict(float)
    length = 0
    for text, weight in fields:
        field_terms = terms(text)
        for term in field_terms:
            tf[term_index(term)] += weight
        if weight >= 1.0:
            length += len(field_terms)
    length_norm = 1 - B + B * length / average_terms
    indices = sorted(tf)
    values = [tf[i] * (K1 + 1) / (tf[i] + K1 * length_norm) for i in indices]
    return SparseVector(indices=indices, values=values)
