"""The documents of a procedure as a clerk would list them: what everybody brings first, then "Nếu …".

The portal's document tables mix papers with notes ("Lưu ý: …", "Trường hợp … thì không phải nộp"),
prefix items with their section ("Giấy tờ phải nộp: …", "Trường hợp ủy quyền …: …", "a) Đối với
trường hợp …: …") and write each paper as a legal sentence. This module sorts an item into one of
three kinds — a paper everybody needs, a paper needed in a case (grouped by that case), a note — and
shortens each paper to its essential words. Nothing is invented: every line is cut from the record's
own text, and the whole list stays one tap away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from search_index.catalogue import RequiredDocument
from search_index.facts import shorten
from vntext.normalize import normalize, strip_accents

# Longest shortened paper, and how much of a case's wording a "Nếu …" line keeps.
MAX_ITEM_CHARS = 90
MAX_CONDITION_CHARS = 70

# Section headers the portal glues in front of items.
_SUBMIT_SECTIONS = ("giay to phai nop", "cac giay to phai nop", "thanh phan ho so")
_PRESENT_SECTIONS = ("giay to phai xuat trinh", "cac giay to phai xuat trinh", "xuat trinh")
_NOTE_SECTIONS = ("luu y", "ghi chu", "so luong ho so")
# A case: "Trường hợp …", "Đối với trường hợp …", "a) Đối với …", "(1.3) Đối với công trình …", "Nếu …".
_ENUMERATOR = r"(?:[a-zđ]\)|\(\*\)|\(?\d+(?:\.\d+)*\)?\.?|[+\-•])\s*"
_CASE = re.compile(
    rf"^(?:{_ENUMERATOR})?(?:đối với trường hợp|trường hợp|đối với|nếu)\s+(.+)$", re.IGNORECASE
)
# "Trường hợp X thì phải có Y" / "Trường hợp X phải có Y": the case and the paper in one sentence.
_CASE_THEN_PAPER = re.compile(
    r"^(?:trường hợp|nếu)\s+(.{4,200}?)"
    r"(?:\s+thì\s+(?:phải\s+(?:có|nộp|kèm theo)\s+|nộp\s+|cần\s+(?:có\s+)?)?"
    r"|\s+phải\s+(?:có|nộp|kèm theo)\s+)"
    r"(.+)$",
    re.IGNORECASE,
)
# "… trong trường hợp ủy quyền thực hiện …" inside a paper's sentence: the paper is what comes before.
_INNER_CASE = re.compile(r"\s*,?\s*\(?\b(?:trong|đối với) trường hợp\s+([^.;()]{4,})", re.IGNORECASE)
# Words a paper's name starts with (accent-folded): what is not a note.
_PAPER_WORDS = (
    "giay",
    "to khai",
    "ban ",
    "don ",
    "van ban",
    "phieu de nghi",
    "phieu dang ky",
    "phieu khai",
    "phieu thu thap",
    "ho chieu",
    "the can cuoc",
    "can cuoc",
    "so ",
    "bien ban",
    "hop dong",
    "danh sach",
    "dieu le",
    "quyet dinh",
    "anh ",
    "02 anh",
    "01 anh",
    "chung chi",
    "chung tu",
    "mau ",
    "bao cao",
    "tai lieu",
    "ban sao",
    "ban chinh",
    "cac giay to",
    "trich luc",
    "bang ke",
    "to trinh",
    "phuong an",
    "de an",
    "cong van",
    "thong bao",
    "ho so",
    "bang",
    "chung nhan",
    "xac nhan",
)
_FORM_WORDS = ("to khai", "don ", "phieu de nghi", "giay de nghi", "mau ", "ban khai")
_ONLINE = re.compile(r"\(([^()]*?(?:trực tuyến)[^()]*)\)")
_IN_PERSON = re.compile(r"\(([^()]*?(?:trực tiếp|bưu chính)[^()]*)\)")
_ALIAS = re.compile(r"\(sau đây gọi (?:tắt )?là ([^()]{3,40})\)")


@dataclass(frozen=True)
class Paper:
    """One paper: its short wording for the first answer, the record's whole line for "Xem đầy đủ"."""

    short: str
    counts: str = ""  # "1 bản chính, 1 bản sao" or ""
    present_only: bool = False  # shown at the desk, not handed in
    channel: str = ""  # "khi nộp trực tuyến" when the paper is for one way of submitting only

    def line(self) -> str:
        extra = [e for e in (self.channel, self.counts) if e]
        if self.present_only:
            extra.append("xuất trình")
        return f"• {self.short}" + (f" ({'; '.join(extra)})" if extra else "")


@dataclass
class CaseGroup:
    """Papers needed only in one case ("Nếu ủy quyền: văn bản ủy quyền")."""

    condition: str
    papers: list[Paper] = field(default_factory=list)

    def line(self, max_chars: int = 140) -> str:
        text = f"Nếu {self.condition}: " + "; ".join(p.short[:1].lower() + p.short[1:] for p in self.papers)
        return shorten(text, max_chars)


@dataclass
class DocumentList:
    common: list[Paper] = field(default_factory=list)
    cases: list[CaseGroup] = field(default_factory=list)
    notes: int = 0  # notes left out of the short answer
    shortened: bool = False  # some paper was cut to its essential words

    def short_lines(self, max_common: int = 5, max_cases: int = 2) -> tuple[list[str], bool]:
        """The lines of the first answer, and whether anything was left out or cut."""
        common, cases = self.common, self.cases
        if not common and cases:
            # Every paper depends on a case (e.g. land transfers): the first case is the usual one.
            common, cases = cases[0].papers, cases[1:]
            lines = [f"Trường hợp {cases_title(self.cases[0])}:"] if self.cases[0].condition else []
        else:
            lines = []
        lines += [p.line() for p in common[:max_common]]
        if len(common) > max_common:
            lines.append(f"• … và {len(common) - max_common} giấy tờ khác")
        lines += [f"• {c.line()}" for c in cases[:max_cases]]
        if len(cases) > max_cases:
            lines.append(f"• … và {len(cases) - max_cases} trường hợp khác")
        more = (self.shortened or self.notes > 0 or len(common) > max_common or len(cases) > max_cases) or (
            not self.common and bool(self.cases)
        )
        return lines, more


def cases_title(group: CaseGroup) -> str:
    return shorten(group.condition, MAX_CONDITION_CHARS)


def compose(documents: list[RequiredDocument]) -> DocumentList:
    result = DocumentList()
    groups: dict[str, CaseGroup] = {}
    for document in documents:
        sections, text = _split_sections(document.name)
        folded = [_fold(section) for section in sections]
        if any(f.startswith(_NOTE_SECTIONS) for f in folded):
            result.notes += 1
            continue
        present = any(f.startswith(_PRESENT_SECTIONS) for f in folded)
        counts = _counts(document)
        # The innermost case wins ("Đăng ký thuế …: Đối với cá nhân người nước ngoài: +++ Tờ khai…").
        condition = next((c for s in reversed(sections) if (c := _case_of(s))), None)
        if condition is None and (case := _CASE_THEN_PAPER.match(text)) is not None:
            condition, text = case.group(1), case.group(2)
        elif condition is None and (inner := _INNER_CASE.search(text)) is not None and inner.start() >= 12:
            condition, text = inner.group(1), text[: inner.start()].strip(" ,.(")
        if not counts and (not _is_paper(text) or " thì " in text):
            # "Trường hợp … thì không phải nộp bản giấy", "Phiếu này là biểu mẫu điện tử…"
            result.notes += 1
            continue
        short, channel, cut = _shorten(text)
        result.shortened |= cut
        paper = Paper(short, counts, present, channel)
        if condition:
            key = _fold(condition)
            groups.setdefault(key, CaseGroup(shorten(_tidy_condition(condition), MAX_CONDITION_CHARS)))
            groups[key].papers.append(paper)
        else:
            result.common.append(paper)
    # Forms and declarations first: they are what a citizen fills in before anything else. A paper the
    # record lists twice (once per case it forgot to name) is said once.
    result.common = _once(sorted(result.common, key=lambda p: not _fold(p.short).startswith(_FORM_WORDS)))
    for group in groups.values():
        group.papers = _once(group.papers)
    result.cases = list(groups.values())
    return result


def _once(papers: list[Paper]) -> list[Paper]:
    first: dict[str, Paper] = {}
    for paper in papers:
        first.setdefault(paper.line(), paper)
    return list(first.values())


def _split_sections(name: str) -> tuple[list[str], str]:
    """(["Giấy tờ phải nộp"], "Giấy chứng sinh…") from "Giấy tờ phải nộp: Giấy chứng sinh…"; sections
    can nest ("Đăng ký thuế …: Đối với cá nhân …: +++ Tờ khai …")."""
    sections: list[str] = []
    text = name.strip()
    while True:
        head, sep, rest = text.partition(": ")
        if not sep or len(head) > 600 or not rest.strip() or not _is_section(head):
            return sections, text.lstrip("+-• ").strip()
        sections.append(head.strip())
        text = rest.strip()


def _is_section(head: str) -> bool:
    folded = _fold(head)
    if folded.startswith((*_SUBMIT_SECTIONS, *_PRESENT_SECTIONS, *_NOTE_SECTIONS)) or _CASE.match(head):
        return True
    if head.rstrip().endswith(("bao gồm", "gồm", "phải có", "phải nộp")):
        return True
    if head.rstrip().endswith((" là", " sau", "sau đây")):
        return False  # "Trường hợp giấy tờ tùy thân sử dụng là: Hộ chiếu, …" introduces a list
    # Any other short head ("Đăng ký thành lập công ty TNHH một thành viên: …") names the common set.
    return len(head) <= 200 and not re.search(r"[.;]", head)


def _case_of(section: str) -> str | None:
    if _fold(section).startswith(_SUBMIT_SECTIONS):
        return None
    match = _CASE.match(section)
    return match.group(1) if match else None


def _tidy_condition(condition: str) -> str:
    text = re.sub(r",?\s*(?:hồ sơ (?:bao )?gồm|kèm theo hồ sơ .*|phải có|thì)$", "", condition.strip(" :,."))
    return text[:1].lower() + text[1:]


def _is_paper(text: str) -> bool:
    return _fold(text).startswith(_PAPER_WORDS)


def _counts(document: RequiredDocument) -> str:
    parts = [f"{n} bản {kind}" for n, kind in ((document.originals, "chính"), (document.copies, "sao")) if n]
    return ", ".join(parts)


def _shorten(text: str) -> tuple[str, str, bool]:
    """The paper's essential words (its own name before the explanations), the channel it is for, and
    whether anything was cut."""
    original = " ".join(text.split())
    alias = _ALIAS.search(original)
    channel = ""
    if _ONLINE.search(original) and not _IN_PERSON.search(original):
        channel = "khi nộp trực tuyến"
    elif _IN_PERSON.search(original) and not _ONLINE.search(original):
        channel = "khi nộp trực tiếp, bưu chính"
    if alias:
        name = alias.group(1).strip()
        return f"{name[:1].upper()}{name[1:]}: {shorten(original[: alias.start()], 50)}", channel, True
    cut = original
    for separator in ("; ", ". ", " (", ", trừ ", ", trường hợp", " để ", ", còn giá trị"):
        index = cut.find(separator)
        if index >= 12:
            cut = cut[:index]
    cut = cut.rstrip(" ,.;:")
    short = shorten(cut, MAX_ITEM_CHARS)
    return short, channel, short != original.rstrip(" .")


def _fold(text: str) -> str:
    return strip_accents(normalize(text)).lstrip("-•+*() ")
