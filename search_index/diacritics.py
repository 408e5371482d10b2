"""Restore the diacritics of text typed without them, from the catalogue's own vocabulary.

The dense model reads "cap lai can cuoc" poorly, but the catalogue itself says how those syllables
are written: every accent-stripped word n-gram (1–3 words) of the indexed names and fields maps to
its most frequent accented form, and a query is rewritten with the longest known n-grams. Only
runs of words without diacritics are touched, so expanded abbreviations keep their official form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

from vntext.normalize import has_diacritics, normalize, strip_accents

MAX_NGRAM = 3
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_PHRASE_BREAK = re.compile(r"[^\w\s]+")


class DiacriticsRestorer:
    def __init__(self, forms: dict[str, str]) -> None:
        self._forms = forms

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> DiacriticsRestorer:
        """Learn the accented forms from catalogue text (names, fields …); punctuation breaks n-grams."""
        counts: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            for phrase in _PHRASE_BREAK.split(normalize(text)):
                words = phrase.split()
                for n in range(1, MAX_NGRAM + 1):
                    for i in range(len(words) - n + 1):
                        gram = " ".join(words[i : i + n])
                        counts[strip_accents(gram)][gram] += 1
        return cls({key: forms.most_common(1)[0][0] for key, forms in counts.items()})

    def __len__(self) -> int:
        return len(self._forms)

    def restore(self, text: str) -> str:
        """``text`` normalised, with each run of unaccented words rewritten to catalogue spelling.

        The rewrite covers a run with as few known n-grams as possible (fewest single words on a
        tie): "xe o to" is one trigram, not "xe o" + "tổ".
        """
        tokens = _TOKEN.findall(normalize(text))
        # best[i] = (cost, forms) of the cheapest rewrite of tokens[i:]
        best: list[tuple[float, list[str]]] = [(0.0, [])] * (len(tokens) + 1)
        for i in range(len(tokens) - 1, -1, -1):
            options = [(best[i + 1][0] + 1.5, [tokens[i], *best[i + 1][1]])]
            for n in range(1, MAX_NGRAM + 1):
                window = tokens[i : i + n]
                if len(window) < n or not all(_restorable(t) for t in window):
                    break
                form = self._forms.get(" ".join(window))
                if form is not None:
                    cost = 1.0 + (0.5 if n == 1 else 0.0)
                    options.append((best[i + n][0] + cost, [form, *best[i + n][1]]))
            best[i] = min(options, key=lambda option: option[0])
        return " ".join(best[0][1])


def _restorable(token: str) -> bool:
    return token[0].isalnum() and not has_diacritics(token)
