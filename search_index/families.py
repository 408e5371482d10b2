"""Procedure families: one need published as a plain record and its variants.

The national catalogue publishes one need several times: "Thủ tục đăng ký khai sinh", "… có yếu tố nước
ngoài", "… lưu động", "… kết hợp đăng ký nhận cha, mẹ, con", "… cho người đã có hồ sơ, giấy tờ cá nhân",
the same passport procedure "(thực hiện tại cấp tỉnh)" and "(… cấp trung ương)", land registration
"đối với tổ chức" and "đối với hộ gia đình, cá nhân". A family is the set of records whose names are equal
once such qualifiers are removed (``family_key``); each member keeps the qualifiers it had
(``qualifiers_of``). Nothing here lists codes: the families follow from the names.

A search ranks records; ``FamilyIndex.regroup`` then keeps one member per family in that order, chosen by
what the message says (``cues``): a variant only when the message mentions what distinguishes it,
otherwise the plain member; a citizen is an individual (or household) aged 14 or more unless the message
says otherwise; among level duplicates, the levels the deployment serves. When the message leaves two
members of a family equally open, ``pick`` returns a plain question about the feature that separates them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from search_index.catalogue import Level
from vntext.abbreviations import expand_abbreviations
from vntext.normalize import normalize, strip_accents


class Qualifier(StrEnum):
    """What sets a variant apart from the plain member of its family."""

    FOREIGN = "có yếu tố nước ngoài"
    BORDER = "tại khu vực biên giới"
    MOBILE = "lưu động"
    HAS_PAPERS = "cho người đã có hồ sơ, giấy tờ cá nhân"
    COMBINED = "kết hợp nhận cha, mẹ, con"
    FULLY_ONLINE = "trực tuyến toàn trình"
    AGAIN = "đăng ký lại"
    ORGANISATION = "đối với tổ chức"
    INDIVIDUAL = "đối với hộ gia đình, cá nhân"
    UNDER_AGE = "cho người dưới … tuổi"
    OF_AGE = "cho người từ đủ … tuổi"


def fold(text: str) -> str:
    """Lowercase, accent-stripped, one space between words: names and messages are compared so."""
    return " ".join(strip_accents(normalize(text)).lower().split())


# Patterns on folded names. Each removes its qualifier from the name (to find the family) and marks the
# member with it. Order matters where one qualifier sits inside another's phrase.
_NAME_QUALIFIERS: tuple[tuple[Qualifier, re.Pattern[str]], ...] = tuple(
    (q, re.compile(p))
    for q, p in (
        (Qualifier.FOREIGN, r"\bco yeu to nuoc ngoai\b"),
        (Qualifier.BORDER, r"\b(?:tai|o) khu vuc bien gioi\b"),
        (Qualifier.MOBILE, r"\bluu dong\b"),
        (Qualifier.HAS_PAPERS, r"\bcho nguoi da co ho so,? giay to ca nhan\b"),
        (Qualifier.COMBINED, r"\bket hop (?:dang ky )?nhan cha,? me,? con\b"),
        # "Đăng ký lại khai sinh": the register itself was lost; the name without "lại" is the plain one.
        (Qualifier.AGAIN, r"(?<=\bdang ky) lai\b"),
        (
            Qualifier.FULLY_ONLINE,
            r"\b(?:thuc hien )?(?:bang )?(?:dich vu cong )?truc tuyen toan trinh\b|"
            r"\b(?:thuc hien )?bang dich vu cong toan trinh\b",
        ),
        (
            Qualifier.ORGANISATION,
            r"\bdoi voi (?:nguoi nop thue la )?(?:cac )?to chuc\b.*$|"
            r"\btheo (?:de nghi|yeu cau) cua (?:cac )?co quan\b.*$",
        ),
        (
            Qualifier.INDIVIDUAL,
            r"\bdoi voi (?:nguoi nop thue la )?(?:ho gia dinh,? ca nhan|ca nhan,? ho gia dinh|ca nhan)\b.*$",
        ),
        (Qualifier.UNDER_AGE, r"\bcho (?:nguoi|tre em) duoi \d+ tuoi\b"),
        (Qualifier.OF_AGE, r"\bcho nguoi tu du \d+ tuoi(?: tro len)?\b"),
    )
)
# Removed from names without marking anything: the level a record is published for (the deployment
# chooses it), the ordinary channel, the word "Thủ tục", applicant lists that name citizens.
_NEUTRAL = tuple(
    re.compile(p)
    for p in (
        r"^thu tuc\s+",
        r"\((?:duoc )?(?:thuc hien )?(?:tai |o )?cap (?:bo|tinh|tinh|xa|huyen|tw|trung uong)\)",
        r"\b(?:thuc hien )?(?:bang dich vu cong )?(?:truc tuyen )?mot phan hoac truc tiep\b",
        r"\bthuc hien tai cap (?:trung uong|tinh|xa)(?:,? cap (?:trung uong|tinh|xa))*\b",
        r"\bcho cong dan viet nam\b.*$",
    )
)
# Wordings the catalogue uses interchangeably in one need's records.
_SAME_WORDING = tuple(
    (re.compile(p), same)
    for p, same in ((r"\bgiay chung nhan\b", "chung nhan"), (r"\bdang ky xe\b", "dang ky"))
)
_AGE = re.compile(r"\b(duoi|tu du) (\d+) tuoi\b")


def _strip(name: str) -> tuple[str, frozenset[Qualifier]]:
    text = fold(name)
    found: set[Qualifier] = set()
    for qualifier, pattern in _NAME_QUALIFIERS:
        if pattern.search(text):
            found.add(qualifier)
            text = pattern.sub(" ", text)
    for pattern in _NEUTRAL:
        text = pattern.sub(" ", text)
    key = " ".join(re.sub(r"[^\w]+", " ", text).split())
    for filler, same in _SAME_WORDING:
        key = filler.sub(same, key)
    return key, frozenset(found)


def family_key(name: str) -> str:
    """The name without its qualifiers: records with the same key are one family."""
    return _strip(name)[0]


def qualifiers_of(name: str) -> frozenset[Qualifier]:
    return _strip(name)[1]


def age_threshold(name: str) -> int | None:
    """The age in "dưới 14 tuổi" / "từ đủ 14 tuổi" of a name, if it has one."""
    match = _AGE.search(fold(name))
    return int(match.group(2)) if match else None


# Applicant types of the portal (`doi_tuong_thuc_hien`) that are people, not organisations or officials.
_PEOPLE = ("cong dan", "nguoi viet nam", "nguoi nuoc ngoai")


def organisations_only(applicants: Sequence[str]) -> bool:
    """The record names applicants and none of them is a citizen or another private person."""
    folded = [fold(a) for a in applicants if a.strip()]
    return bool(folded) and not any(a.startswith(_PEOPLE) for a in folded)


_ENTERPRISES = re.compile(r"\b(?:doanh nghiep|cong ty|hop tac xa|co so dao tao)\b")
_PERSONS = re.compile(r"\b(?:ho kinh doanh|ca nhan|ho gia dinh|cong dan|nguoi dan)\b")


def for_enterprises(name: str) -> bool:
    """The name says the procedure is an enterprise's and names no person or household ("Thông báo tạm
    ngừng kinh doanh … (doanh nghiệp, chi nhánh…)"): the record's applicants often add "Công dân Việt
    Nam" to such procedures."""
    folded = fold(name)
    return bool(_ENTERPRISES.search(folded)) and not _PERSONS.search(folded)


_FOREIGNERS = ("nguoi nuoc ngoai", "nguoi khong quoc tich")


def foreigners_only(applicants: Sequence[str]) -> bool:
    """The record names applicants and all of them are foreigners (or stateless people)."""
    folded = [fold(a) for a in applicants if a.strip()]
    return bool(folded) and all(a.startswith(_FOREIGNERS) for a in folded)


# ------------------------------------------------------------------ what a message says
_COUNTRIES = (
    "han quoc|han|trung quoc|nhat ban|nhat|dai loan|my|hoa ky|lao|campuchia|thai lan|phap|duc|anh|uc|nga|"
    "singapore|malaysia|canada|an do|philippines|indonesia|hong kong|ba lan|sec|y|ha lan|thuy dien|"
    "thuy si|bi|na uy|dan mach|ao|new zealand|nam phi|ai cap|cuba|mong co|trieu tien|myanmar"
)
_CUES: dict[Qualifier, re.Pattern[str]] = {
    q: re.compile(p)
    for q, p in (
        (
            Qualifier.FOREIGN,
            rf"\bnuoc ngoai\b|\bngoai quoc\b|\bquoc tich (?!viet)\w+|\bviet kieu\b|\bdinh cu\b|"
            rf"\b(?:nguoi|cong dan|quoc tich|chong|vo|ban trai|ban gai|lay chong|lay vo) (?:{_COUNTRIES})\b|"
            rf"\b(?:tai|o|sinh ra o|sinh o|song o|dinh cu o) (?:{_COUNTRIES})\b|\bnuoc ngoai\b",
        ),
        (Qualifier.BORDER, r"\bbien gioi\b"),
        (
            Qualifier.MOBILE,
            r"\bluu dong\b|\b(?:xuong|den|toi|ve) (?:tan )?(?:nha|noi|thon|ban|lang)\b|\btan (?:nha|noi)\b",
        ),
        (
            Qualifier.HAS_PAPERS,
            r"\bda co (?:ho so|giay to)\b|\bgiay to ca nhan\b|\bchua (?:tung |bao gio |duoc )*"
            r"(?:dang ky khai sinh|lam khai sinh|co giay khai sinh|lam giay khai sinh)\b",
        ),
        (
            Qualifier.COMBINED,
            # A parent recognised together with a birth registered now: "nhận cha cho con" alone, or for
            # a child whose birth certificate exists, is the recognition itself.
            r"\bket hop\b|"
            r"^(?=.*\b(?:khai sinh|moi sinh|vua sinh|sinh con|chung sinh|be moi de)\b)"
            r"(?!.*\bda co (?:giay )?khai sinh\b)"
            r".*\b(?:nhan cha|nhan me|nhan con|nhan bo|cha me con)\b|"
            r"\bchua (?:dang ky )?ket hon\b|\bkhong (?:dang ky )?ket hon\b|\bchua cuoi\b",
        ),
        (Qualifier.FULLY_ONLINE, r"\btoan trinh\b"),
        (
            Qualifier.AGAIN,
            # "làm lại" reaches here as "cấp lại" (abbreviations); a register damaged or lost is the case.
            r"\b(?:dang ky|lam) lai\b|\b(?:cap|lam) lai (?:viec )?dang ky\b|\bkhong con (?:luu|giu|so)\b|"
            r"\bso\b.{0,25}\bkhong con\b|\bso goc\b|"
            r"\bso (?:ho tich|dang ky)\b.{0,40}\b(?:hu hong|hong|bi mat|that lac|bi chay|khong con)\b",
        ),
        (
            Qualifier.ORGANISATION,
            # An organisation the message speaks for; not one the citizen works at or goes through.
            r"(?<!thong qua )(?<!lam o )(?<!lam cho )(?<!lam tai )(?<!lam viec o )(?<!lam viec cho )"
            r"(?<!nhan vien )(?<!lam hai )(?<!hai )"
            r"\b(?:cong ty|doanh nghiep|to chuc(?! (?:dam cuoi|le|tiec|dam))|hop tac xa|hiep hoi)\b",
        ),
    )
}
# Words that make a feature likely but do not decide it: the choice stays open and a clerk would ask.
_UNSURE: dict[Qualifier, re.Pattern[str]] = {
    q: re.compile(p)
    for q, p in (
        (
            Qualifier.ORGANISATION,
            r"\b(?:co quan|don vi|truong|nha tho|chua|ban quan ly) (?:toi|chung toi|minh|em)\b|\bnha tho\b",
        ),
        (Qualifier.MOBILE, r"\bkhong (?:the )?di (?:lai )?duoc\b|\bom nang\b|\bliet giuong\b|\bgia yeu\b"),
        # For a child, without an age: under 14 or not is the clerk's question.
        (Qualifier.UNDER_AGE, r"\b(?:cho|cua) (?:con|be|chau)\b|\bcon (?:toi|em|minh)\b|\btre em\b"),
    )
}
_BY_AGE = frozenset({Qualifier.UNDER_AGE, Qualifier.OF_AGE})
_LEVEL_WORDS = {
    "trung uong": Level.MINISTRY,
    "tw": Level.MINISTRY,
    "bo": Level.MINISTRY,
    "tinh": Level.PROVINCE,
    "xa": Level.COMMUNE,
}
_LEVEL_SAID = re.compile(r"\b(?:tai|o) cap (trung uong|tw|bo|tinh|xa)\b")
_AGE_IN_MESSAGE = re.compile(r"\b(\d{1,2}) (?:tuoi|t)\b")
# A message that is only a bound ("trên 14", "dưới 14"): the answer to a clerk's question about age.
_BOUND_ALONE = re.compile(r"(duoi|tren|tu du|tu|du|hon) (\d{1,2})")


@dataclass(frozen=True)
class Cues:
    """What a message says about the features that set variants apart."""

    said: frozenset[Qualifier]
    ages: tuple[int, ...] = ()
    under: int | None = None  # "dưới 14 tuổi" said as such
    unsure: frozenset[Qualifier] = frozenset()  # made likely, not decided
    levels: frozenset[Level] = frozenset()  # "thực hiện tại cấp tỉnh" said as such

    def fits(self, qualifier: Qualifier, threshold: int | None) -> bool | None:
        """True when the message asks for this feature, False when it rules it out, None when silent."""
        if qualifier in (Qualifier.UNDER_AGE, Qualifier.OF_AGE):
            if threshold is None:
                return None
            young = (self.under is not None and self.under <= threshold) or any(
                a < threshold for a in self.ages
            )
            old = any(a >= threshold for a in self.ages)
            if young == old:
                return None
            return young if qualifier == Qualifier.UNDER_AGE else old
        if qualifier == Qualifier.INDIVIDUAL:
            return False if Qualifier.ORGANISATION in self.said else None
        if qualifier in self.said:
            return True
        return None


def cues(message: str) -> Cues:
    text = fold(expand_abbreviations(normalize(message)))
    said = {q for q, pattern in _CUES.items() if pattern.search(text)}
    # A message that uses a variant's own words ("đăng ký khai sinh lưu động") asks for that variant.
    said |= {q for q, pattern in _NAME_QUALIFIERS if q not in _BY_AGE and pattern.search(text)}
    if Qualifier.BORDER in said:
        # Border procedures are for people of the neighbouring country.
        said.add(Qualifier.FOREIGN)
    if (bound := _BOUND_ALONE.fullmatch(text.strip(" .!?"))) is not None:
        text = f"{bound.group(1)} {bound.group(2)} tuoi"
    under_match = re.search(r"\bduoi (\d+) tuoi\b", text)
    # "từ đủ 14 tuổi", "trên 14 tuổi" are ages of 14 or more; a bare "14 tuổi" is an age.
    at_least = re.sub(
        r"\b(?:tu du|du|tren|hon) (\d+) tuoi\b", r"\1 tuoi", re.sub(r"\bduoi \d+ tuoi\b", " ", text)
    )
    # A school grade is an age: "học lớp 2" is about 8.
    grades = tuple(int(g) + 6 for g in re.findall(r"\blop (\d{1,2})\b", text) if int(g) <= 12)
    ages = tuple(int(a) for a in _AGE_IN_MESSAGE.findall(at_least)) + grades
    unsure = {q for q, pattern in _UNSURE.items() if q not in said and pattern.search(text)}
    if ages or under_match:
        unsure.discard(Qualifier.UNDER_AGE)
    levels = frozenset(_LEVEL_WORDS[w] for w in _LEVEL_SAID.findall(text))
    under = int(under_match.group(1)) if under_match else None
    return Cues(frozenset(said), ages, under, frozenset(unsure), levels)


# ------------------------------------------------------------------ what a name does
# The action a name starts with, and the words that say a message asks for it. "Cấp đổi …", "Xóa đăng ký
# …", "Gia hạn …" are other needs than the plain "Cấp …", "Đăng ký …": a leader whose action the message
# does not mention gives way to one near it whose action it does (or that has none).
# "Cấp đổi …" and "Đổi …" are one need: a paper changed for a new one.
_ASKS_TO_CHANGE = r"\bdoi\b|\bhet han\b|\bhu hong\b|\bsai\b"
_ACTIONS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (action, re.compile(p))
    for action, p in (
        ("cap doi", _ASKS_TO_CHANGE),
        ("doi", _ASKS_TO_CHANGE),
        # Once folded, "lái xe" reads "lai xe" and "mất bao nhiêu / mấy ngày" (it costs) "mat": neither
        # asks for a new paper.
        (
            "cap lai",
            r"\blai\b(?! (?:xe|tau|may)\b)|\bmat\b(?! (?:bao|may|phi|tien|nhieu|khoang|thoi gian|het)\b)|"
            r"\bhong\b|\bthat lac\b|\bchay\b|\brach\b",
        ),
        ("xoa", r"\bxoa\b|\bcat\b|\bhuy\b|\bchuyen di\b"),
        ("thu hoi", r"\bthu hoi\b|\bban\b|\bnop lai\b|\btra lai\b"),
        ("gia han", r"\bgia han\b|\bhet han\b|\bthem\b|\bkeo dai\b"),
        ("dieu chinh", r"\bdieu chinh\b|\bsua\b|\bthay doi\b|\bsai\b|\bcap nhat\b"),
        ("cham dut", r"\bcham dut\b|\bngung\b|\bdung\b|\bthoi\b|\bgiai the\b|\bket thuc\b|\bnghi\b"),
        ("khoi phuc", r"\bkhoi phuc\b|\bmo lai\b|\bkhoa\b"),
        ("huy", r"\bhuy\b|\bbo\b"),
        ("dinh chinh", r"\bdinh chinh\b|\bsai\b|\bsua\b"),
        ("tra lai", r"\btra lai\b|\bnop lai\b|\bkhong dung\b"),
        ("dinh chi", r"\bdinh chi\b|\btam dung\b"),
        ("chuyen doi", r"\bchuyen doi\b|\bchuyen (?:tu|sang|thanh|len)\b|\bdoi (?:sang|thanh)\b"),
        ("giai the", r"\bgiai the\b|\bdong cua\b|\bdong cong ty\b|\bcham dut hoat dong\b"),
        ("tam ngung", r"\btam ngung\b|\btam dung\b|\bngung\b|\bnghi\b"),
    )
)
# The actions a name can start with, folded.
ACTIONS = tuple(action for action, _ in _ACTIONS)
# How many leading families this can reorder: a few, so a clear first place stays first elsewhere.
ACTION_WINDOW = 3
# Other members of the first family shown right after it.
RUNNERS_UP = 2


def unsaid_action(name: str, message: str) -> bool:
    """The name starts with an action ("cấp đổi", "xóa", "gia hạn"…) the message does not mention."""
    return unsaid_in(family_key(name), action_words(message))


def unsaid_in(key: str, asked: str) -> bool:
    """``unsaid_action`` for a family key and a message read by ``action_words``."""
    return any(key.startswith(f"{a} ") and not said.search(asked) for a, said in _ACTIONS)


def action_words(message: str) -> str:
    """The message as the action patterns read it."""
    return fold(expand_abbreviations(normalize(message)))


# ------------------------------------------------------------------ choosing a member
@dataclass(frozen=True)
class Member:
    code: str
    name: str
    family: str
    qualifiers: frozenset[Qualifier]
    levels: tuple[Level, ...] = ()
    age: int | None = None  # the number of "dưới 14 tuổi" / "từ đủ 14 tuổi" in the name


@dataclass(frozen=True)
class Question:
    """A clerk's question that separates two members: options are (button label, code)."""

    text: str
    options: tuple[tuple[str, str], ...]


# Default answers of a citizen who says nothing about them: applicants are individuals, adults.
_DEFAULT_TRUE = frozenset({Qualifier.INDIVIDUAL, Qualifier.OF_AGE})
_QUESTIONS: dict[Qualifier, tuple[str, str, str]] = {
    Qualifier.FOREIGN: ("Người nước ngoài có tham gia không?", "Có người nước ngoài", "Không"),
    Qualifier.BORDER: (
        "Việc này có ở khu vực biên giới, với công dân nước láng giềng không?",
        "Có, ở khu vực biên giới",
        "Không",
    ),
    Qualifier.MOBILE: (
        "Bạn muốn cán bộ đến tận nơi (đăng ký lưu động) không?",
        "Cán bộ đến tận nơi",
        "Tôi tự đến nộp",
    ),
    Qualifier.HAS_PAPERS: (
        "Người cần đăng ký đã có hồ sơ, giấy tờ cá nhân (căn cước, hộ chiếu…) chưa?",
        "Đã có giấy tờ",
        "Chưa có",
    ),
    Qualifier.COMBINED: (
        "Bạn có muốn làm cùng lúc việc nhận cha, mẹ, con không?",
        "Có, nhận cha, mẹ, con",
        "Không",
    ),
    Qualifier.FULLY_ONLINE: (
        "Bạn muốn làm trực tuyến toàn trình không?",
        "Trực tuyến toàn trình",
        "Nộp trực tiếp",
    ),
    Qualifier.AGAIN: (
        "Việc này đã đăng ký trước đây nhưng giấy tờ và sổ gốc không còn phải không?",
        "Đăng ký lại",
        "Đăng ký lần đầu",
    ),
    Qualifier.ORGANISATION: (
        "Bạn đăng ký cho hộ gia đình/cá nhân hay cho tổ chức?",
        "Cho tổ chức",
        "Hộ gia đình, cá nhân",
    ),
    Qualifier.INDIVIDUAL: (
        "Bạn đăng ký cho hộ gia đình/cá nhân hay cho tổ chức?",
        "Hộ gia đình, cá nhân",
        "Cho tổ chức",
    ),
    Qualifier.UNDER_AGE: (
        "Người làm thủ tục dưới {age} tuổi phải không?",
        "Dưới {age} tuổi",
        "Từ {age} tuổi",
    ),
    Qualifier.OF_AGE: (
        "Người làm thủ tục đã đủ {age} tuổi chưa?",
        "Đủ {age} tuổi trở lên",
        "Dưới {age} tuổi",
    ),
}


_PAIRS = (
    frozenset({Qualifier.ORGANISATION, Qualifier.INDIVIDUAL}),
    frozenset({Qualifier.UNDER_AGE, Qualifier.OF_AGE}),
)


def _pair(qualifiers: Iterable[Qualifier]) -> set[Qualifier]:
    """Two qualifiers that answer one question: being for individuals is not being for organisations,
    being 14 or more is not being under 14."""
    found = set(qualifiers)
    return {q for pair in _PAIRS if pair & found for q in pair}


@dataclass(frozen=True)
class _Fit:
    unmet: int  # qualifiers of the member the message does not ask for (or rules out)
    met: int  # qualifiers the message asks for explicitly
    ruled_out: int


def _fit(member: Member, said: Cues) -> _Fit:
    unmet = met = ruled_out = 0
    # A feature made likely but not decided leaves members with it and members without it open alike.
    unmet += len(said.unsure - member.qualifiers - _pair(member.qualifiers))
    for qualifier in member.qualifiers:
        answer = said.fits(qualifier, member.age)
        if answer is None and qualifier in _DEFAULT_TRUE and not _pair({qualifier}) & said.unsure:
            continue
        if answer:
            met += 1
        else:
            unmet += 1
            ruled_out += answer is False
    return _Fit(unmet, met, ruled_out)


def _level_rank(member: Member, served: frozenset[Level]) -> int:
    """0 for a record at a level the deployment serves (or without levels), else 1."""
    return 0 if not member.levels or served.intersection(member.levels) else 1


@dataclass(frozen=True)
class FamilyIndex:
    members: dict[str, Member]  # code → member
    families: dict[str, tuple[Member, ...]]  # family key → members

    @classmethod
    def build(cls, records: Iterable[tuple[str, str, Sequence[Level], Sequence[str]]]) -> FamilyIndex:
        """From (code, name, levels, applicants) of every record."""
        members: dict[str, Member] = {}
        grouped: dict[str, list[Member]] = {}
        for code, name, levels, applicants in records:
            key, qualifiers = _strip(name)
            if organisations_only(applicants):
                qualifiers |= {Qualifier.ORGANISATION}
            member = Member(code, name, key or fold(name), qualifiers, tuple(levels), age_threshold(name))
            members[code] = member
            grouped.setdefault(member.family, []).append(member)
        return cls(members, {key: tuple(group) for key, group in grouped.items()})

    def family_of(self, code: str) -> tuple[Member, ...]:
        member = self.members.get(code)
        return self.families[member.family] if member else ()

    def ranked_members(
        self, code: str, said: Cues, served: frozenset[Level], order: dict[str, int]
    ) -> list[Member]:
        """The family of ``code``, best fit to the message first (then served levels, then rank).

        A level the message names ("… tại cấp tỉnh") replaces the served levels."""
        served = said.levels or served

        def key(member: Member) -> tuple[int, int, int, int]:
            fit = _fit(member, said)
            return (fit.unmet, -fit.met, _level_rank(member, served), order.get(member.code, len(order)))

        return sorted(self.family_of(code), key=key)

    def question(self, code: str, said: Cues, served: frozenset[Level]) -> Question | None:
        """A question when the two best members fit the message equally and neither fully."""
        ranked = self.ranked_members(code, said, served, {})
        if len(ranked) < 2:
            return None
        first, second = _fit(ranked[0], said), _fit(ranked[1], said)
        if first.unmet == 0 or (first.unmet, first.met) != (second.unmet, second.met):
            return None
        differing = sorted(ranked[0].qualifiers ^ ranked[1].qualifiers)
        if not differing:
            return None
        qualifier = differing[0]
        age = str(ranked[0].age or ranked[1].age or 14)
        text, yes, no = (part.replace("{age}", age) for part in _QUESTIONS[qualifier])
        having, lacking = (
            (ranked[0], ranked[1]) if qualifier in ranked[0].qualifiers else (ranked[1], ranked[0])
        )
        return Question(text, ((yes, having.code), (no, lacking.code)))

    def regroup(self, codes: Sequence[str], message: str, served: frozenset[Level]) -> list[str]:
        """``codes`` (best first) with each family represented once, by its member that fits the message
        best, at the rank of its best-ranked member; up to ``RUNNERS_UP`` other members of the first
        family right after it, the other members after the last family, in the same order."""
        said = cues(message)
        order = {code: rank for rank, code in enumerate(codes)}
        chosen: list[str] = []
        rest: list[str] = []
        seen: set[str] = set()
        for code in codes:
            member = self.members.get(code)
            if member is None:
                if code not in seen:
                    chosen.append(code)
                    seen.add(code)
                continue
            if member.family in seen:
                continue
            seen.add(member.family)
            ranked = self.ranked_members(code, said, served, order)
            chosen.append(ranked[0].code)
            rest.extend(m.code for m in ranked[1:] if m.code in order)
        rest.sort(key=lambda c: order[c])
        asked = action_words(message)
        window = chosen[:ACTION_WINDOW]
        keys = {c: self.members[c].family for c in window if c in self.members}
        window.sort(key=lambda c: c in keys and unsaid_in(keys[c], asked))
        leaders = window + chosen[ACTION_WINDOW:]
        if not leaders:
            return rest
        # The first family's other members come right after it (a citizen may mean one of them);
        # the others' after every leader.
        first = self.members.get(leaders[0])
        runners = [c for c in rest if first is not None and self.members[c].family == first.family]
        runners = runners[:RUNNERS_UP]
        return [leaders[0], *runners, *leaders[1:], *(c for c in rest if c not in runners)]
