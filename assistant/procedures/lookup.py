"""Which procedure the citizen means: one lookup shared by every answer action.

Order: a chosen code (button payload ``/inform{"procedure_code": …}`` or a national code typed in the
message), then the ``procedure`` entity or the message text through the search index; a follow-up
without a procedure in it ("còn lệ phí thì sao?") keeps the ``procedure_code`` of the conversation.
The search ranks by fused ranks (RRF), whose scores say little about confidence, so two checks
decide between answering, offering buttons and admitting there is no match: how close the best
scores are, and how many of the query's content words the best procedure's name actually has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from search_index.catalogue import Procedure
from vntext.abbreviations import expand_abbreviations
from vntext.normalize import has_diacritics, normalize, strip_accents
from vntext.procedure_codes import NATIONAL_CODE

if TYPE_CHECKING:
    from search_index.service import SearchHit

# Words that say which aspect is asked, or are small talk: they name no procedure. Written with
# diacritics; their unaccented forms only match words typed without diacritics, so "căn cước"
# keeps "căn" although "cần" (need) is a stop word.
_STOP_PHRASES = (
    "giấy tờ",
    "hồ sơ",
    "lệ phí",
    "bao nhiêu",
    "thời gian",
    "bao lâu",
    "mấy ngày",
    "ở đâu",
    "chỗ nào",
    "trực tuyến",
    "qua mạng",
    "bưu điện",
    "bưu chính",
    "điều kiện",
    "yêu cầu",
    "căn cứ",
    "pháp lý",
    "văn bản",
    "tờ khai",
    "mẫu đơn",
    "thủ tục",
    "thế nào",
    "thì sao",
    "trình tự",
    "quy trình",
    "các bước",
    "cần gì",
    "gồm những",
    "nơi nộp",
    "tiền phí",
    "mất bao",
    "có thể",
    "được không",
    "vui lòng",
    "hướng dẫn",
)
_STOP_WORDS = [
    "à",
    "ạ",
    "nhé",
    "nha",
    "vậy",
    "thế",
    "thì",
    "sao",
    "còn",
    "cho",
    "tôi",
    "mình",
    "em",
    "anh",
    "chị",
    "bạn",
    "muốn",
    "hỏi",
    "về",
    "của",
    "và",
    "là",
    "có",
    "không",
    "ko",
    "k",
    "được",
    "gì",
    "nào",
    "các",
    "những",
    "cần",
    "làm",
    "xin",
    "ơi",
    "với",
    "để",
    "nếu",
    "ở",
    "tại",
    "phải",
    "mất",
    "bao",
    "lâu",
    "phí",
    "tiền",
    "nộp",
    "đâu",
    "online",
    "mẫu",
    "đơn",
    "gồm",
    "bước",
    "luật",
    "khi",
    "rồi",
    "nữa",
    "thêm",
    "giúp",
]
# Words in the names of many procedures: sharing only these with a name is no evidence of a match.
_GENERIC_NAME_WORDS = frozenset(
    [
        "cap",
        "dang",
        "ky",
        "giay",
        "lai",
        "doi",
        "phep",
        "chung",
        "nhan",
        "xac",
        "thay",
        "moi",
        "so",
        "the",
        "cho",
        "nguoi",
        "va",
        "cua",
        "dau",
        "lan",
    ]
)
_PLAIN_STOP_PHRASES = tuple(dict.fromkeys(strip_accents(p) for p in _STOP_PHRASES))
_ACCENTED_STOPS = frozenset(_STOP_WORDS)
_PLAIN_STOPS = frozenset(strip_accents(w) for w in _STOP_WORDS)


class ProcedureFinder(Protocol):
    def search(self, query: str, *, limit: int = 5, message: str | None = None) -> list[SearchHit]: ...

    def get(self, code: str) -> Procedure | None: ...


@dataclass(frozen=True)
class Found:
    procedure: Procedure
    alternatives: tuple[Procedure, ...] = ()


@dataclass(frozen=True)
class Clarify:
    """Two members of one family stay open: one plain question, each option a (button label, code)."""

    question: str
    options: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Ambiguous:
    candidates: list[Procedure]


@dataclass(frozen=True)
class NotFound:
    query: str


Resolution = Found | Clarify | Ambiguous | NotFound
Finding = Resolution


def content_words(text: str) -> list[str]:
    """The normalized words of the text that could name a procedure (diacritics kept as typed)."""
    words = re.sub(r"[^\w\s]", " ", expand_abbreviations(normalize(text)))
    for phrase in (*_STOP_PHRASES, *_PLAIN_STOP_PHRASES):
        words = re.sub(rf"(?<!\w){phrase}(?!\w)", " ", words)
    return [
        w
        for w in words.split()
        if not w.isdigit() and w not in (_ACCENTED_STOPS if has_diacritics(w) else _PLAIN_STOPS)
    ]


def name_coverage(query_words: list[str], procedure: Procedure) -> float:
    """Share of the query's content words found in the procedure's name or field.

    A query typed with diacritics must match with them ("du lịch" has no "đủ"); one typed without
    is matched against the accent-folded name.
    """
    if not query_words:
        return 0.0
    name = normalize(f"{procedure.name} {procedure.field}").split()
    typed_with_diacritics = any(has_diacritics(w) for w in query_words)
    known = set(name) if typed_with_diacritics else {strip_accents(w) for w in name}
    return sum(w in known for w in query_words) / len(query_words)


def distinctive_coverage(query_words: list[str], procedure: Procedure) -> float:
    """Coverage counting only the words that tell procedures apart ("flycam", not "cấp phép")."""
    distinctive = [w for w in query_words if strip_accents(w) not in _GENERIC_NAME_WORDS]
    return name_coverage(distinctive or query_words, procedure)


def find(
    finder: ProcedureFinder,
    text: str,
    *,
    ambiguity_margin: float,
    min_coverage: float = 0.5,
    min_distinctive: float = 0.25,
) -> Finding:
    """The procedure a message means, without a conversation: a code typed in it, else the search with
    its families (the member the message means, or a question when two stay open)."""
    return resolve_procedure(
        finder,
        chosen_code=None,
        entity=None,
        text=text,
        conversation_code=None,
        ambiguity_margin=ambiguity_margin,
        min_coverage=min_coverage,
        min_distinctive=min_distinctive,
    )


def resolve_procedure(
    finder: ProcedureFinder,
    *,
    chosen_code: str | None,
    entity: str | None,
    text: str,
    conversation_code: str | None,
    ambiguity_margin: float,
    min_coverage: float = 0.5,
    min_distinctive: float = 0.25,
) -> Resolution:
    for code in (chosen_code, *NATIONAL_CODE.findall(text)):
        if code and (procedure := finder.get(code.strip())) is not None:
            return Found(procedure)
    limits = _Limits(ambiguity_margin, min_coverage, min_distinctive)
    if entity and content_words(text) != content_words(entity):
        # The entity may be only part of the name ("khai sinh" of "đăng ký khai sinh"): the whole
        # message decides when it finds the procedure.
        whole = _search(finder, text, None, None, limits, text)
        if isinstance(whole, Found | Clarify):
            return whole
    return _search(finder, entity or text, conversation_code, entity, limits, text)


@dataclass(frozen=True)
class _Limits:
    ambiguity_margin: float
    min_coverage: float
    min_distinctive: float


def _search(
    finder: ProcedureFinder,
    query: str,
    conversation_code: str | None,
    entity: str | None,
    limits: _Limits,
    message: str,
) -> Resolution:
    words = content_words(query)
    if not words:
        # A follow-up about the procedure already being discussed.
        if conversation_code and (procedure := finder.get(conversation_code)) is not None:
            return Found(procedure)
        return NotFound(query)
    # The aspect words ("cần giấy tờ gì", "lệ phí") would match procedures about papers and fees.
    # The family members are chosen by what the whole message says ("14 tuổi", "đã có giấy tờ").
    hits = finder.search(" ".join(words), limit=5, message=message)
    # One hit per family: the other members of a family are not what the message asks for.
    hits = [h for h in hits if h.variant_of is None]
    named = [h for h in hits[:3] if _names_it(words, h.procedure)]
    if named:
        # The query holds a whole procedure name: the longest such name is the most specific one.
        return _found(max(named, key=lambda h: len(h.procedure.name)), hits)
    # Among the top three, the name that covers the query best leads (the ranks of the fused search
    # can put a lexically unrelated procedure first, e.g. for text typed without diacritics).
    top = sorted(hits[:3], key=lambda h: name_coverage(words, h.procedure), reverse=True)
    if not top or distinctive_coverage(words, top[0].procedure) < limits.min_distinctive:
        # "còn ở Hà Nội thì sao?": a few stray words, not a new procedure.
        stray = conversation_code and entity is None and len(words) <= 2
        if stray and (procedure := finder.get(str(conversation_code))) is not None:
            return Found(procedure)
        return NotFound(query)
    best, best_coverage = top[0], name_coverage(words, top[0].procedure)
    floor = best.score * (1 - limits.ambiguity_margin)
    close = [h for h in top[1:] if h.score >= floor and name_coverage(words, h.procedure) >= best_coverage]
    if close or best_coverage < limits.min_coverage:
        return Ambiguous([h.procedure for h in top if name_coverage(words, h.procedure) > 0])
    return _found(best, hits)


def _found(best: SearchHit, hits: list[SearchHit]) -> Found | Clarify:
    if best.question is not None:
        return Clarify(best.question.text, best.question.options)
    return Found(best.procedure, tuple(h.procedure for h in hits if h.procedure.code != best.procedure.code))


def _names_it(query_words: list[str], procedure: Procedure) -> bool:
    """The query holds the whole name ("lệ phí đăng ký khai sinh" → "Đăng ký khai sinh")."""
    name = normalize(procedure.name).split()
    folded_query = {strip_accents(w) for w in query_words}
    return bool(name) and all(w in query_words or strip_accents(w) in folded_query for w in name)
