"""Restore the diacritics of text typed without them, from the catalogue's own vocabulary.

The dense model reads "cap lai can cuoc" poorly, but the catalogue itself says how those syllables
are written: every accent-stripped word n-gram (1–3 words) of the indexed names and fields maps to
its most frequent accented form, and a query is rewritten with the longest known n-grams. Only
runs of words without diacritics are touched, so expanded abbreviations keep their official form.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable

from vntext.normalize import has_diacritics, normalize, strip_accents

MAX_NGRAM = 3
_TOKEN = re.compile(r"\w+|[^\w\s]+")
_PHRASE_BREAK = re.compile(r"[^\w\s]+")


class DiacriticsRestorer:
    def __init__(self, forms: dict[str, str]) -> None:
        self._forms = forms
        self._words: frozenset[str] | None = None

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

    def repair(self, text: str, syllables: Collection[str]) -> str:
        """Text typed with diacritics, some wrong or missing ("căn cươc", "thủ tuc cấp lai giây phép"):
        ``text`` normalised, a word rewritten to the catalogue's spelling when the catalogue spells its
        neighbourhood (2–3 words in a row, accents aside: "cấp lại", "giấy phép") or when the word as
        typed is no Vietnamese syllable (``syllables``: "cươc", "tuc"). A word typed with diacritics that
        the catalogue writes so stays, as does a real word the catalogue only knows alone ("tôi")."""
        normalized = normalize(text)
        spans = list(_TOKEN.finditer(normalized))
        tokens = [m.group() for m in spans]
        spelled = self._spelled()
        cheapest = self._cheapest([strip_accents(t) for t in tokens])
        starts = self._starts(cheapest)
        # An n-gram is the catalogue's reading of the words only if a word typed with diacritics agrees
        # with it ("cấp lai" → "cấp lại"); when every such word disagrees ("sô đỏ" is not "sơ do"), it
        # tells nothing about its neighbours.
        agrees: dict[int, bool] = {}
        for start, token, (form, _) in zip(starts, tokens, cheapest, strict=True):
            if has_diacritics(token):
                agrees[start] = agrees.get(start, False) or form == token
        contradicted = {start for start, agreed in agrees.items() if not agreed}
        chosen: list[str] = []
        for token, start, (form, n) in zip(tokens, starts, cheapest, strict=True):
            in_context = n >= 2 and start not in contradicted
            if form == token or not has_diacritics(form):
                chosen.append(token)
            elif has_diacritics(token):
                chosen.append(
                    form if token not in spelled and (in_context or token not in syllables) else token
                )
            else:
                chosen.append(form if in_context or token not in syllables else token)
        # In place: spacing and punctuation as typed ("1.001193" stays one code).
        out, last = [], 0
        for match, word in zip(spans, chosen, strict=True):
            out += [normalized[last : match.start()], word]
            last = match.end()
        return "".join([*out, normalized[last:]])

    @staticmethod
    def _starts(cheapest: list[tuple[str, int]]) -> list[int]:
        """The index of the n-gram each token's form came from (its first token)."""
        starts: list[int] = []
        i = 0
        while i < len(cheapest):
            n = max(cheapest[i][1], 1)
            starts += [i] * n
            i += n
        return starts

    def _spelled(self) -> frozenset[str]:
        """Every word the catalogue writes, as it writes it."""
        if self._words is None:
            self._words = frozenset(w for form in self._forms.values() for w in form.split())
        return self._words

    def _cheapest(self, tokens: list[str]) -> list[tuple[str, int]]:
        """For each token, its catalogue form and the length of the n-gram that gave it (0: none): the
        rewrite of the unaccented runs with as few known n-grams as possible (fewest single words on a
        tie). An n-gram's form has its n words."""
        # best[i] = (cost, forms) of the cheapest rewrite of tokens[i:]
        best: list[tuple[float, list[tuple[str, int]]]] = [(0.0, [])] * (len(tokens) + 1)
        for i in range(len(tokens) - 1, -1, -1):
            options = [(best[i + 1][0] + 1.5, [(tokens[i], 0), *best[i + 1][1]])]
            for n in range(1, MAX_NGRAM + 1):
                window = tokens[i : i + n]
                if len(window) < n or not all(_restorable(t) for t in window):
                    break
                form = self._forms.get(" ".join(window))
                if form is not None:
                    cost = 1.0 + (0.5 if n == 1 else 0.0)
                    options.append(
                        (best[i + n][0] + cost, [*((f, n) for f in form.split()), *best[i + n][1]])
                    )
            best[i] = min(options, key=lambda option: option[0])
        return best[0][1]

    def restore(self, text: str) -> str:
        """``text`` normalised, with each run of unaccented words rewritten to catalogue spelling.

        The rewrite covers a run with as few known n-grams as possible (fewest single words on a
        tie): "xe o to" is one trigram, not "xe o" + "tổ".
        """
        return " ".join(form for form, _ in self._cheapest(_TOKEN.findall(normalize(text))))


def _restorable(token: str) -> bool:
    return token[0].isalnum() and not has_diacritics(token)
