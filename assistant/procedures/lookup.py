"""Which procedure the citizen means: one lookup shared by every answer action.

Order: a chosen code (button payload ``/inform{"procedure_code": …}`` or a national code typed in the
message); then the conversation's procedure when the message carries on about it (``follow_up``);
then the search over the whole message, families and their members included. How far the best
procedure leads the next one decides between answering it, answering it with the others offered as
buttons, and offering a choice.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from assistant.procedures.follow_up import GENERIC_NAME_WORDS, carries_on
from search_index.catalogue import Procedure
from search_index.families import ACTIONS, cues, family_key, fold
from vntext.abbreviations import expand_abbreviations
from vntext.everyday import expand_everyday
from vntext.normalize import folded_words, has_diacritics, normalize, strip_accents
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

# How many other procedures are offered beside a best guess (or in a choice, with it).
GUESS_ALTERNATIVES = 3
# An answer to a choice this short may name an option by one word ("thôi" among the nationality
# procedures); a longer message needs two words in a row of the option's name.
SHORT_ANSWER_WORDS = 3


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


def find(finder: ProcedureFinder, text: str, *, ambiguity_margin: float, guess: bool = True) -> Resolution:
    """The procedure a message means on its own, without a conversation."""
    return resolve_procedure(
        finder,
        chosen_code=None,
        text=text,
        conversation_code=None,
        ambiguity_margin=ambiguity_margin,
        guess=guess,
    )


def resolve_procedure(
    finder: ProcedureFinder,
    *,
    chosen_code: str | None,
    text: str,
    conversation_code: str | None,
    ambiguity_margin: float,
    guess: bool = True,
    offered: Sequence[str] = (),
) -> Resolution:
    """Which procedure the message means.

    The search reads the whole message (it was tuned on whole questions, aspect words included) and
    chooses each family's member by what it says. Its best procedure is answered when it leads the
    next by ``ambiguity_margin`` or more; otherwise, with ``guess``, it is answered with the next ones
    offered as buttons (the citizen sees an answer and a way out), and without ``guess`` the three are
    offered as a choice. ``offered``: the codes of a choice the last answer offered, which the message
    may answer in words instead of a tap.
    """
    for code in (chosen_code, *NATIONAL_CODE.findall(text)):
        if code and (procedure := finder.get(code.strip())) is not None:
            return Found(procedure)
    words = content_words(text)
    choice = [p for c in offered if (p := finder.get(c)) is not None] if conversation_code is None else []
    # One hit per family: the other members of a family are not what the message asks for.
    hits = [h for h in finder.search(text, limit=8, message=text) if h.variant_of is None] if words else []
    # The clerk's question between members of one family answered in words ("cháu 9 tuổi" to "dưới 14
    # tuổi phải không?"): read as the feature that sets them apart. A short answer is an answer, even
    # when its words ("công ty") are in some other procedure's name.
    if choice and len({family_key(p.name) for p in choice}) == 1:
        naming = hits if len(words) > SHORT_ANSWER_WORDS else []
        if (member := _member_it_describes(finder, text, choice[0], naming)) is not None:
            return Found(member)
    named = _options_named(words, choice) if choice and words else []
    if len(named) == 1:
        return Found(named[0])

    def from_the_choice(options: list[Procedure]) -> Resolution:
        # The citizen asks on without tapping ("cần giấy tờ gì"): with ``guess``, the first option (the
        # search's best when it was offered) is answered and the others stay as buttons.
        if guess:
            return Found(options[0], tuple(options[1 : GUESS_ALTERNATIVES + 1]))
        return Ambiguous(options)

    if named:
        # Several options have its words: the search's order among them, else the narrower choice.
        codes = {p.code for p in named}
        first = next((h.procedure for h in hits if h.procedure.code in codes), None)
        return Found(first) if first is not None else from_the_choice(named)

    def nothing_named() -> Resolution:
        # A choice just offered still stands for a message that names nothing else.
        return from_the_choice(choice) if choice else NotFound(text)

    current = finder.get(conversation_code) if conversation_code else None
    if current is not None and (member := _member_it_describes(finder, text, current, hits)) is not None:
        return Found(member)
    if current is not None and (other := _another_action_on_it(finder, text, words, current)) is not None:
        return Found(other)
    if current is not None and carries_on(text, words, current, [h.procedure for h in hits]):
        return Found(current)
    if not hits:
        return nothing_named()
    best = hits[0]
    if best.outside:
        # Nothing in the catalogue fits the message ("ai là chủ tịch xã"): a follow-up that is not
        # about the current procedure either stays on it; a first message gets "not found".
        return Found(current) if current is not None else nothing_named()
    if best.question is not None:
        return Clarify(best.question.text, best.question.options)
    # "đổi tên cho bé" names the civil-status correction only through its official name.
    described = content_words(expand_everyday(text))
    if not _shares_a_distinctive_word(described, best.procedure):
        if current is not None:
            return Found(current)  # stray words ("co mat phi ko ad"), no new procedure
        # Nothing of what the message names is in the best name ("cấp phép bay flycam" → a driving
        # licence). The next few may have some of it ("giấy xác nhận cư trú" third): a word in common is
        # too little to answer one of them, so they are offered as a choice; none has one: not found.
        sharing = [
            h.procedure
            for h in hits[1 : GUESS_ALTERNATIVES + 1]
            if _shares_a_distinctive_word(described, h.procedure)
        ]
        return Ambiguous(sharing) if sharing else nothing_named()
    if current is not None:
        best = _nearest_the_conversation(hits, text, current, ambiguity_margin)
        hits = [best, *(h for h in hits if h is not best)]
    runner_up = hits[1].score if len(hits) > 1 else 0.0
    if best.score - runner_up >= ambiguity_margin:
        return Found(best.procedure)
    if guess:
        # Only procedures that have something of what the message names are worth a button.
        others = [h.procedure for h in hits[1:] if _shares_a_distinctive_word(described, h.procedure)]
        return Found(best.procedure, tuple(others[:GUESS_ALTERNATIVES]))
    return Ambiguous([h.procedure for h in hits[: GUESS_ALTERNATIVES + 1]])


def _nearest_the_conversation(
    hits: Sequence[SearchHit], text: str, current: Procedure, margin: float
) -> SearchHit:
    """Among procedures the search finds about as likely as its best, the one that has more of the
    current procedure's name, beyond what the message says: after "đăng ký hộ kinh doanh", "còn tạm
    ngừng kinh doanh thì sao" is the household business's suspension, not a company's."""
    unsaid = _telling_pairs(content_words(current.name)) - _telling_pairs(content_words(text))

    def shared(hit: SearchHit) -> int:
        return len(unsaid & _name_pairs(hit.procedure))

    close = [h for h in hits[: GUESS_ALTERNATIVES + 1] if hits[0].score - h.score < margin]
    nearest = max(close, key=shared)  # the first of equals: the search's order
    return nearest if shared(nearest) > shared(hits[0]) else hits[0]


def _another_action_on_it(
    finder: ProcedureFinder, text: str, words: list[str], current: Procedure
) -> Procedure | None:
    """The procedure of another action on what the current one is about, when the message says only that
    action ("còn cấp lại thì sao" after "Đổi giấy phép lái xe": "Cấp lại giấy phép lái xe")."""
    said = " ".join(strip_accents(w) for w in words)
    action = next((a for a in ACTIONS if said == a), None)
    key = family_key(current.name)
    if action is None or key.startswith(f"{action} "):
        return None
    doing = next((a for a in ACTIONS if key.startswith(f"{a} ")), None)
    # What the procedure is about, up to its first clause ("giấy chứng nhận quyền sử dụng đất").
    name = fold(current.name)
    about = (name.removeprefix(f"{doing} ") if doing else name).split(",")[0]
    query = f"{action} {about}"
    hits = [h for h in finder.search(query, limit=8, message=query) if not h.outside]
    return next((h.procedure for h in hits if fold(h.procedure.name).startswith(f"{action} ")), None)


def variant_described(finder: ProcedureFinder, text: str, current: Procedure) -> Procedure | None:
    """Another member of the current procedure's family that the message describes by the feature that
    sets it apart, when it names no other procedure ("bố cháu là người Nhật" after birth registration)."""
    member = _member_it_describes(finder, text, current, None)
    return member if member is not None and member.code != current.code else None


def _member_it_describes(
    finder: ProcedureFinder, text: str, current: Procedure, hits: Sequence[SearchHit] | None
) -> Procedure | None:
    """The member of ``current``'s family that a message naming no other procedure describes by the
    feature that sets it apart (None when it states no such feature): after "đăng ký kết hôn", "vợ mình
    là người Hàn Quốc thì sao" asks about marriage with a foreigner; after a child's identity card,
    "cháu 15 tuổi rồi" the card from 14. ``hits``: the search's family leaders for the message (None:
    searched here, only when a feature is stated); whether it names another procedure is read from
    them."""
    said = cues(text)
    if not (said.said or said.ages or said.under is not None):
        return None
    if hits is None:
        hits = [h for h in finder.search(text, limit=8, message=text) if h.variant_of is None]
    other = hits[0].procedure if hits and not hits[0].outside else None
    if (
        other is not None
        and family_key(other.name) != family_key(current.name)
        and pairs_of_its_name(text, other)
    ):
        return None  # it names another procedure ("còn khai sinh cho con lai thì sao")
    # The current name gives the family, the message the member (the search chooses members so).
    best = finder.search(f"{current.name} {text}", limit=1, message=text)
    if not best:
        return None
    member = best[0].procedure
    return member if family_key(member.name) == family_key(current.name) else None


def _options_named(words: list[str], choice: list[Procedure]) -> list[Procedure]:
    """The options of a choice a message names in words ("liên thông vậy thì bao lâu"): those whose
    names have the most of its word pairs — or, for a message of a few words ("hồ sơ xin thôi gồm
    những gì"), of its words. One shared syllable in a longer message is too little ("cư trú" is not
    "thường trú"); what every option has does not tell them apart. Empty when it names none of them."""
    names = [_name_pairs(p) for p in choice]
    said = _telling_pairs(words) - names[0].intersection(*names[1:])
    shared = [len(said & name) for name in names]
    if not max(shared) and len(words) <= SHORT_ANSWER_WORDS:
        singles = [{w for pair in name for w in pair} for name in names]
        telling = (
            {strip_accents(w) for w in words} - GENERIC_NAME_WORDS - singles[0].intersection(*singles[1:])
        )
        shared = [len(telling & name) for name in singles]
    best = max(shared)
    return [p for p, n in zip(choice, shared, strict=True) if n == best] if best else []


def _telling_pairs(words: list[str]) -> set[tuple[str, str]]:
    """The accent-folded pairs of consecutive content words, but those of generic words only."""
    pairs = itertools.pairwise(strip_accents(w) for w in words)
    return {pair for pair in pairs if not set(pair) <= GENERIC_NAME_WORDS}


def _name_pairs(procedure: Procedure) -> set[tuple[str, str]]:
    """The accent-folded word pairs of a procedure's name, abbreviations expanded."""
    return set(itertools.pairwise(folded_words(expand_abbreviations(procedure.name))))


def says_its_words(text: str, procedure: Procedure) -> bool:
    """Whether the message itself (no everyday names added) has two words in a row of the procedure's
    name that tell it apart ("giảm thuế", "khai sinh"): one syllable is too little ("thời tiết" is not
    "tạm thời")."""
    return pairs_of_its_name(text, procedure) > 0


def pairs_of_its_name(text: str, procedure: Procedure) -> int:
    """How many word pairs of the procedure's name that tell it apart the message itself says."""
    return len(_telling_pairs(content_words(text)) & _name_pairs(procedure))


def _shares_a_distinctive_word(words: list[str], procedure: Procedure) -> bool:
    """Whether a word of the message that tells procedures apart is in the procedure's name or field
    (``words``: the message's content words with the official names of what it describes added). A
    message of generic words only ("bao lâu thì được nhận tiền") names no procedure."""
    distinctive = {strip_accents(w) for w in words} - GENERIC_NAME_WORDS
    return bool(distinctive & _known_words(procedure.name, procedure.field))


@functools.lru_cache(maxsize=4096)
def _known_words(name: str, field: str) -> frozenset[str]:
    """The folded words of a name and field, in both spellings: the message's abbreviations were
    expanded ("bhxh"), the name may keep them. Once per record, not on every lookup."""
    said = f"{name} {field}"
    return frozenset(folded_words(said)) | frozenset(folded_words(expand_abbreviations(said)))
