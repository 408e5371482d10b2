"""Masks a procedure's name before featurisation, so the words around it decide the intent.

Citizens writing to the national portal name the procedure in full: "Mức phí thẩm định của thủ tục Cấp
giấy phép … như thế nào?", "Căn cứ pháp lý của thủ tục Cấp Giấy chứng nhận đủ điều kiện kinh doanh …".
Words inside such a name (phí, điều kiện, thời gian, hồ sơ, mẫu) are not what the citizen asks, yet a
bag-of-words classifier weighs them like the question words. This component, placed after the tokenizer
and before the featurizers, replaces the tokens of a procedure's name with one placeholder token, so the
classifier sees "mức phí thẩm định của thủ tục ‹tên› như thế nào".

Where a name is found:
- **Known names**: the ``procedure`` lookup table, the procedure entities annotated in the training data
  and their synonyms, compared without diacritics, longest first.
- **After "thủ tục"** (or "TTHC"): from the next word to the first cue that asks something ("là gì",
  "bao nhiêu", "ở đâu", "có phải", "gồm những", "thực hiện theo …"), the end of a sentence, or
  ``max_name_words`` syllables. "thủ tục này/đó/gì" names nothing.
- **A capitalised name in mid-sentence** in a long message ("… được cấp Chứng chỉ hành nghề thú y là
  gì?"), up to the same cues.

Only the token list of the text changes: the text, and so the entity extractors that read it, keep the
message as typed; the placeholder's offsets cover the whole name. Messages shorter than ``min_words``
tokens are left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.vietnamese_tokenizer import NORMALISED_WORD
from vntext import expand_abbreviations, has_diacritics, normalize, strip_accents

Phrase = tuple[str, ...]

_SYLLABLE = re.compile(r"\w+")
_NAMES_FILE = "names.json"

# Words that introduce a procedure's name.
_INTRODUCERS: tuple[Phrase, ...] = (("thủ", "tục", "hành", "chính"), ("thủ", "tục"), ("tthc",))
# "thủ tục này/đó/gì": no name follows.
_NOT_A_NAME = frozenset({"này", "đó", "đấy", "ấy", "kia", "trên", "gì", "nào", "thì", "là", "có", "đã"})

# Cues that end a name: the question starts here. Written with diacritics; a syllable typed without them
# is compared accent-stripped, except for the one-syllable cues in _ACCENTED_ONLY (without diacritics
# "dau", "can", "thi", "may" are also đầu, căn, thị, máy: words of many names).
_END_CUES: tuple[Phrase, ...] = tuple(
    tuple(cue.split())
    for cue in (
        "thì", "nào", "gì", "bao nhiêu", "bao lâu", "ở đâu", "tại đâu", "đâu", "như thế nào", "thế nào",
        "ra sao", "mấy", "ai", "xin hỏi", "cho hỏi", "cho biết", "căn cứ", "trình tự", "cần", "những",
        "hay không", "hay là", "gồm", "bao gồm", "mất bao", "mất mấy", "mất khoảng", "mất nhiều",
        "mất thời gian", "tốn bao", "tốn mấy", "tốn tiền", "tốn phí", "hết bao", "hết mấy", "diễn ra",
        "hướng dẫn", "vậy", "ạ", "không ạ", "tôi", "chúng tôi", "mình", "thành phần hồ sơ",
        "là gì", "là bao", "là những", "là mẫu", "là ở", "là cơ quan", "là mấy", "là như", "là các",
        "là văn bản", "là đâu", "là ai", "là nơi", "là bộ phận", "là loại",
        "có phải", "có được", "có thu phí", "có thu lệ phí", "có thu tiền", "có những", "có cần",
        "có nhận", "có thể", "có thực hiện",
        "có nộp", "có mất", "có tốn", "có làm", "có các", "có yêu cầu", "có bắt buộc", "có gì",
        "có cách", "có trả", "có gửi", "có hay", "có mẫu", "có tờ khai", "có quy định", "có mấy",
        "có bao", "có áp dụng", "có biểu mẫu", "có lâu", "có nhanh", "có dùng", "có sử dụng",
        "được không", "được giải quyết", "được thực hiện theo", "được thực hiện như",
        "được thực hiện qua", "được thực hiện trực tuyến", "được thực hiện ở", "được tiếp nhận",
        "được quy định", "được nộp", "được trả", "được thu", "được áp dụng",
        "phải nộp", "phải đáp ứng", "phải có", "phải làm", "phải đến", "phải chuẩn bị", "phải mất",
        "phải chờ", "phải đóng", "phải thực hiện", "phải mang", "phải gửi",
        "dùng tờ khai", "dùng mẫu", "dùng biểu mẫu", "sử dụng tờ khai", "sử dụng mẫu",
        "sử dụng biểu mẫu", "nộp ở", "nộp tại", "nộp hồ sơ", "nộp qua", "nộp cho", "nộp kèm",
        "nộp những", "nộp các", "nộp trực tuyến", "nộp bao", "nộp lệ phí", "nộp phí", "nộp tờ khai",
        "nộp online", "nộp trên", "tại cơ quan", "ở cơ quan", "cơ quan nào", "tại bộ phận",
        "thu lệ phí", "thu phí", "thực hiện theo thông tư", "thực hiện theo nghị định",
        "thực hiện theo luật", "thực hiện theo văn bản", "thực hiện theo quy định",
        "thực hiện theo trình tự", "thực hiện theo các", "thực hiện theo những", "trong thời hạn",
        "trong bao", "trong mấy", "trong vòng", "qua mạng", "qua cổng", "qua dịch vụ", "qua bưu điện",
        "qua bưu chính", "toàn trình", "online",
    )
)  # fmt: skip
_ACCENTED_ONLY = frozenset({"đâu", "cần", "thì", "mấy", "ạ", "ai", "gồm", "tôi", "mình", "vậy"})
# After a comma, these also end a name (a comma alone does not: "Gia hạn, điều chỉnh giấy phép …").
_AFTER_COMMA_CUES: tuple[Phrase, ...] = tuple(
    tuple(cue.split())
    for cue in ("xin", "cho tôi", "cho em", "cho mình", "đề nghị", "vui lòng", "mong", "em", "nộp")
)
# A known "name" made only of these ("đăng ký", "cấp lại", "làm lại", "xin giấy phép") names no procedure.
_GENERIC_SYLLABLES = frozenset(
    {"dang", "ky", "cap", "lai", "lam", "doi", "xin", "moi", "thu", "tuc", "giay", "to", "phep", "ho", "so"}
)
_SENTENCE_END = re.compile(r"[?!;:]|\.(?!\d)")
# Capitalised words in mid-sentence that do not start a procedure's name.
_NOT_NAME_CAPITALS = frozenset(
    {"quý", "kính", "cổng", "dịch vụ", "dịch vụ công", "luật", "nghị định", "thông tư", "bộ", "sở",
     "ủy ban", "uỷ ban", "công an", "chính phủ", "nhà nước", "cơ quan", "việt nam", "xin", "tôi", "em"}
)  # fmt: skip


@dataclass(frozen=True)
class _Syllable:
    accented: str  # normalised, with diacritics as typed (none when typed without)
    plain: str  # accent-stripped
    token: int  # index of the token it belongs to


def name_key(name: str) -> Phrase:
    """A name as accent-stripped syllables, spelled as the tokenizer spells words (abbreviations expanded)."""
    return tuple(_SYLLABLE.findall(strip_accents(expand_abbreviations(normalize(name)))))


def syllables_of(tokens: Sequence[Token]) -> list[_Syllable]:
    """The syllables of the tokens, in order: what ``NameMatcher.spans`` counts in."""
    return _syllables(tokens)


def _syllables(tokens: Sequence[Token]) -> list[_Syllable]:
    syllables = []
    for index, token in enumerate(tokens):
        word = token.get(NORMALISED_WORD) or token.text.replace("_", " ")
        for piece in _SYLLABLE.findall(word):
            syllables.append(_Syllable(piece, strip_accents(piece), index))
    return syllables


def _matches(syllables: Sequence[_Syllable], position: int, phrase: Phrase) -> bool:
    if position + len(phrase) > len(syllables):
        return False
    for syllable, word in zip(syllables[position : position + len(phrase)], phrase, strict=False):
        if syllable.accented == word:
            continue
        typed_plain = not has_diacritics(syllable.accented)
        if not typed_plain or syllable.plain != strip_accents(word):
            return False
        if len(phrase) == 1 and word in _ACCENTED_ONLY:
            return False
    return True


class NameMatcher:
    """Finds procedure names in a message's tokens; pure logic, no Rasa graph state."""

    def __init__(
        self,
        names: Iterable[str],
        *,
        max_name_words: int = 40,
        capital_min_words: int = 12,
        use_introducers: bool = True,
        use_capitals: bool = True,
    ) -> None:
        keys = {key for key in map(name_key, names) if not set(key) <= _GENERIC_SYLLABLES}
        self._by_first: dict[str, list[Phrase]] = {}
        for key in sorted((k for k in keys if len(k) >= 2), key=len, reverse=True):
            self._by_first.setdefault(key[0], []).append(key)
        self.max_name_words = max_name_words
        self.capital_min_words = capital_min_words
        self.use_introducers = use_introducers
        self.use_capitals = use_capitals

    def spans(self, text: str, tokens: Sequence[Token]) -> list[tuple[int, int]]:
        """Syllable ranges [start, end) of the names found (see ``syllables``), sorted, not overlapping."""
        syllables = _syllables(tokens)
        found = self._known_names(syllables)
        if self.use_introducers:
            found += self._introduced_names(text, tokens, syllables)
        if self.use_capitals and len(tokens) >= self.capital_min_words:
            found += self._capitalised_names(text, tokens, syllables, found)
        return _merge((a, b) for a, b in found if b > a)

    def _known_names(self, syllables: Sequence[_Syllable]) -> list[tuple[int, int]]:
        found = []
        position = 0
        while position < len(syllables):
            length = 0
            for key in self._by_first.get(syllables[position].plain, ()):
                end = position + len(key)
                if end <= len(syllables) and tuple(s.plain for s in syllables[position:end]) == key:
                    length = len(key)
                    break
            if length:
                found.append((position, position + length))
                position += length
            else:
                position += 1
        return found

    def _introduced_names(
        self, text: str, tokens: Sequence[Token], syllables: Sequence[_Syllable]
    ) -> list[tuple[int, int]]:
        found = []
        position = 0
        while position < len(syllables):
            introducer = next((p for p in _INTRODUCERS if _matches(syllables, position, p)), None)
            if introducer is None:
                position += 1
                continue
            start = position + len(introducer)
            if start >= len(syllables) or syllables[start].accented in _NOT_A_NAME:
                position = start
                continue
            if syllables[start].plain in {"nay", "do", "gi", "nao"} and not has_diacritics(
                syllables[start].accented
            ):
                position = start
                continue
            end = self._name_end(text, tokens, syllables, start)
            if end > start:
                found.append((start, end))
            position = max(end, start + 1)
        return found

    def _capitalised_names(
        self,
        text: str,
        tokens: Sequence[Token],
        syllables: Sequence[_Syllable],
        found: Sequence[tuple[int, int]],
    ) -> list[tuple[int, int]]:
        covered = {i for a, b in found for i in range(a, b)}
        for position, syllable in enumerate(syllables):
            if position in covered or position == 0:
                continue
            token = tokens[syllable.token]
            if position > 0 and syllables[position - 1].token == syllable.token:
                continue  # not the first syllable of its token
            typed = text[token.start : token.end]
            if not typed[:1].isupper() or (len(typed) > 1 and typed.isupper()):
                continue  # lower case, or an abbreviation such as UBND or CCCD
            if (token.get(NORMALISED_WORD) or token.text) in _NOT_NAME_CAPITALS:
                continue
            before = text[: token.start].rstrip()
            if not before or _SENTENCE_END.search(before[-1:]) or before.endswith(("Kính gửi", "Kính gởi")):
                continue  # first word of a sentence
            end = self._name_end(text, tokens, syllables, position)
            return [(position, end)] if end > position else []
        return []

    def _name_end(
        self, text: str, tokens: Sequence[Token], syllables: Sequence[_Syllable], start: int
    ) -> int:
        limit = min(len(syllables), start + self.max_name_words)
        for position in range(start + 1, limit):
            if syllables[position].token != syllables[position - 1].token:
                between = text[
                    tokens[syllables[position - 1].token].end : tokens[syllables[position].token].start
                ]
                if _SENTENCE_END.search(between):
                    return position
                if "," in between and any(_matches(syllables, position, cue) for cue in _AFTER_COMMA_CUES):
                    return position
            if any(_matches(syllables, position, cue) for cue in _END_CUES):
                return position
        return limit


def _merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mask_tokens(
    text: str, tokens: Sequence[Token], spans: Sequence[tuple[int, int]], placeholder: str
) -> list[Token]:
    """The tokens with each syllable span replaced by one placeholder token covering its offsets.

    A token only partly inside a name ("phí_đăng" when the name starts at "đăng") is split at syllables,
    so the part outside the name keeps its own token.
    """
    syllables = _syllables(tokens)
    span_of = [-1] * len(syllables)
    for number, (start, end) in enumerate(spans):
        span_of[start:end] = [number] * (end - start)
    by_token: dict[int, list[int]] = {}
    for index, syllable in enumerate(syllables):
        by_token.setdefault(syllable.token, []).append(index)
    masked: list[Token] = []
    last_span = -1
    for token_index, token in enumerate(tokens):
        indices = by_token.get(token_index, [])
        runs = _runs(indices, span_of)
        parts = token.text.split("_")
        if len(runs) > 1 and len(parts) != len(indices):
            # Cannot split the token's text at syllables: it goes where most of its syllables go.
            biggest = max(runs, key=lambda run: len(run[1]))
            runs = [(biggest[0], indices)]
        if not runs or (len(runs) == 1 and runs[0][0] < 0):
            masked.append(token)
            last_span = -1
            continue
        offsets = _piece_offsets(text, token, len(indices))
        for span, run in runs:
            first, last = indices.index(run[0]), indices.index(run[-1])
            start, end = (offsets[first][0], offsets[last][1]) if offsets else (token.start, token.end)
            if span < 0:
                piece = Token("_".join(parts[first : last + 1]), start, end)
                piece.lemma = " ".join(syllables[i].plain for i in run)
                piece.set(NORMALISED_WORD, " ".join(syllables[i].accented for i in run))
                masked.append(piece)
            elif span == last_span:
                masked[-1].end = max(masked[-1].end, end)
                continue
            else:
                name = Token(placeholder, start, end, lemma=placeholder)
                name.set(NORMALISED_WORD, placeholder)
                masked.append(name)
            last_span = span
    return masked


def _runs(indices: Sequence[int], span_of: Sequence[int]) -> list[tuple[int, list[int]]]:
    """Consecutive syllables of one token grouped by the span they belong to (-1: none)."""
    runs: list[tuple[int, list[int]]] = []
    for index in indices:
        if runs and runs[-1][0] == span_of[index]:
            runs[-1][1].append(index)
        else:
            runs.append((span_of[index], [index]))
    return runs


def _piece_offsets(text: str, token: Token, count: int) -> list[tuple[int, int]]:
    """Offsets of the token's syllables in the text as typed, when the typed words line up with them."""
    typed = text[token.start : token.end]
    pieces = [(token.start + m.start(), token.start + m.end()) for m in re.finditer(r"\S+", typed)]
    return pieces if len(pieces) == count else []


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class ProcedureNameMasker(GraphComponent):
    """Replaces the tokens of a procedure's name with one placeholder token (see the module's docstring)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "placeholder": "tenthutuchanhchinh",
            # Messages with fewer tokens are not masked (0: every message).
            "min_words": 0,
            "max_name_words": 40,
            # Capitalised names in mid-sentence are looked for in messages of at least this many tokens.
            "capital_min_words": 12,
            "use_lookup_tables": True,
            "use_introducers": True,
            "use_capitals": True,
            # Lookup tables and entity types whose values are procedure names.
            "entity": "procedure",
        }

    @staticmethod
    def required_components() -> list[type]:
        return [Tokenizer]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProcedureNameMasker:
        return cls(config, model_storage, resource, [])

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ProcedureNameMasker:
        names: list[str] = []
        try:
            with model_storage.read_from(resource) as directory:
                names = json.loads((Path(directory) / _NAMES_FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            names = []  # trained without names: only the cue- and capital-based spans
        return cls(config, model_storage, resource, names)

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, names: list[str]
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._names = names
        self._matcher = self._build_matcher(names)

    def _build_matcher(self, names: Iterable[str]) -> NameMatcher:
        return NameMatcher(
            names if self._config["use_lookup_tables"] else (),
            max_name_words=int(self._config["max_name_words"]),
            capital_min_words=int(self._config["capital_min_words"]),
            use_introducers=bool(self._config["use_introducers"]),
            use_capitals=bool(self._config["use_capitals"]),
        )

    def train(self, training_data: TrainingData) -> Resource:
        names = sorted(procedure_names(training_data, self._config["entity"]))
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / _NAMES_FILE).write_text(
                json.dumps(names, ensure_ascii=False), encoding="utf-8"
            )
        self._names = names
        self._matcher = self._build_matcher(names)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._mask(message)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._mask(message)
        return messages

    def _mask(self, message: Message) -> None:
        text = message.get(TEXT)
        tokens = message.get(TOKENS_NAMES[TEXT])
        if not text or not tokens or len(tokens) < int(self._config["min_words"]):
            return
        spans = self._matcher.spans(text, tokens)
        if spans:
            masked = mask_tokens(text, tokens, spans, str(self._config["placeholder"]))
            message.set(TOKENS_NAMES[TEXT], masked)


def procedure_names(training_data: TrainingData, entity: str) -> set[str]:
    """The lookup table named ``entity``, the annotated ``entity`` values as typed, and their synonyms."""
    names: set[str] = set()
    for table in training_data.lookup_tables:
        if table.get("name") == entity:
            elements = table.get("elements")
            if isinstance(elements, list):
                names.update(str(element) for element in elements)
    values: set[str] = set()
    for example in training_data.entity_examples:
        text = example.get(TEXT) or ""
        for annotation in example.get(ENTITIES) or []:
            if annotation.get("entity") == entity:
                names.add(text[annotation["start"] : annotation["end"]])
                values.add(str(annotation.get("value")))
    names |= values
    for variant, value in training_data.entity_synonyms.items():
        if value in values or value in names:
            names.update((variant, value))
    return names
