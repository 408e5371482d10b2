"""Vietnamese tokenizer for Rasa 3.6: underthesea words over normalised text, offsets in the original.

Citizens write the same words many ways: with or without diacritics, old or new tone placement
(hoà/hòa), abbreviations (CCCD, GPLX, sổ đỏ) and chat shorthand (k, dc, j). Each message is
normalised with ``vntext`` (NFC, one tone placement, lowercase, abbreviations expanded) and
segmented with ``vntext.segment``, which keeps dossier codes, procedure codes and phone numbers
whole. A token's ``text`` is the normalised word (syllables joined by "_", "đăng_ký") and its
``lemma`` the accent-stripped form ("dang ky"), so a featurizer that reads lemmas sees text typed
with and without diacritics alike. ``start``/``end`` always point into the message as typed, so
extracted entities cover the citizen's own words. Each token also carries the normalised word with its
diacritics under ``NORMALISED_WORD``.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from vntext import expand_abbreviations, normalize, segment, strip_accents

Span = tuple[int, int]

# Token data key: the normalised word with its diacritics and spaces ("đăng ký"), for components that
# read cue words (bot.components.procedure_masker) when the token text is accent-stripped.
NORMALISED_WORD = "normalised_word"

_CHUNK = re.compile(r"\S+")
_HAS_WORD_CHAR = re.compile(r"\w")


def _normalise_with_offsets(text: str) -> tuple[str, list[Span]]:
    """``normalize`` applied chunk by chunk, with the original span of every output character.

    A chunk whose length changes (NFD input, stray combining marks) maps each of its characters
    to the whole chunk: coarse, but never outside what the citizen typed.
    """
    pieces: list[str] = []
    spans: list[Span] = []
    for match in _CHUNK.finditer(text):
        chunk = normalize(match.group())
        if not chunk:
            continue
        if pieces:
            pieces.append(" ")
            spans.append((match.start(), match.start()))
        pieces.append(chunk)
        if len(chunk) == len(match.group()):
            spans.extend((match.start() + i, match.start() + i + 1) for i in range(len(chunk)))
        else:
            spans.extend((match.start(), match.end()) for _ in chunk)
    return "".join(pieces), spans


def _word_spans(text: str) -> list[Span]:
    return [(m.start(), m.end()) for m in _CHUNK.finditer(text)]


def _expand_with_offsets(normalised: str, spans: list[Span]) -> tuple[str, list[Span]]:
    """Expand abbreviations; characters of a replacement map to the span of the words it replaced.

    Expansion rewrites whole words only, so aligning the word sequences before and after is exact.
    """
    expanded = expand_abbreviations(normalised)
    if expanded == normalised:
        return normalised, spans
    before, after = _word_spans(normalised), _word_spans(expanded)
    words_before = [normalised[s:e] for s, e in before]
    words_after = [expanded[s:e] for s, e in after]
    new_spans: list[Span] = [(0, 0)] * len(expanded)
    matcher = difflib.SequenceMatcher(None, words_before, words_after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            # Same number of words (also "dc k" → "được không"): word i was rewritten as word i.
            for offset in range(j2 - j1):
                (bs, be), (as_, ae) = before[i1 + offset], after[j1 + offset]
                if be - bs == ae - as_:
                    new_spans[as_:ae] = spans[bs:be]
                else:
                    new_spans[as_:ae] = [(spans[bs][0], spans[be - 1][1])] * (ae - as_)
            continue
        if j1 == j2:
            continue  # words dropped by the expansion have no characters left to map
        if i1 < i2:
            covering = (spans[before[i1][0]][0], spans[before[i2 - 1][1] - 1][1])
        else:  # pure insertion: attach to the preceding word (or the following one at the start)
            anchor = before[i1 - 1] if i1 > 0 else before[0]
            covering = (spans[anchor[0]][0], spans[anchor[1] - 1][1])
        for position in range(after[j1][0], after[j2 - 1][1]):
            new_spans[position] = covering
    # Spaces between words keep the start of the following word, so they never widen a token.
    for position, char in enumerate(expanded):
        if char == " " and position + 1 < len(expanded):
            new_spans[position] = (new_spans[position + 1][0], new_spans[position + 1][0])
    return expanded, new_spans


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Segments Vietnamese with underthesea; text = normalised word, lemma = accent-stripped word."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
            # True: token text is accent-stripped too (every featurizer sees text without diacritics).
            # False: text keeps the diacritics; only the lemma is stripped.
            "strip_accents_in_text": False,
        }

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        return cls(config)

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        self._strip_text = bool(config.get("strip_accents_in_text", False))

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        tokens = self._tokens(text)
        if not tokens:
            # Emoji or punctuation only: one token for the whole message, as Rasa's own tokenizers do,
            # so featurizers and classifiers still get an input (and fall back on low confidence).
            return [Token(text, 0, len(text))] if text else []
        return self._apply_token_pattern(tokens)

    def _tokens(self, text: str) -> list[Token]:
        normalised, spans = _normalise_with_offsets(text)
        if not normalised:
            return []
        expanded, spans = _expand_with_offsets(normalised, spans)
        tokens: list[Token] = []
        position = 0
        for word in segment(expanded):
            found = expanded.find(word, position)
            if found < 0:
                continue  # underthesea rewrote the characters; the word carries no position
            position = found + len(word)
            if not _HAS_WORD_CHAR.search(word):
                continue  # punctuation carries no meaning for the classifiers
            word_spans = spans[found:position]
            start = min(s for s, _ in word_spans)
            end = max(e for _, e in word_spans)
            plain = strip_accents(word)
            shown = plain if self._strip_text else word
            token = Token(shown.replace(" ", "_"), start, end, lemma=plain)
            token.set(NORMALISED_WORD, word)  # with diacritics, whatever ``strip_accents_in_text`` says
            tokens.append(token)
        return tokens
