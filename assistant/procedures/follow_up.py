"""Whether a message carries on about the procedure being discussed or names another one.

After "đăng ký kết hôn với người nước ngoài", the citizen goes on with "can bao nhieu ngay",
"mẫu đơn là mẫu số mấy", "làm online được không", "có cần mang sổ hộ khẩu không". Their content
words are few and name no procedure, but a search for them always ranks *something* first (a notary
office's statute for "ngày"). A message carries on when it points back ("thủ tục này"), when its
words are the vocabulary of follow-up questions (time, money, papers, places, people, channels),
when it asks about a paper to bring ("có cần mang sổ hộ khẩu không"), when the procedure being
discussed still ranks near the top for it, or when its words are found in that procedure's name.
Otherwise it names a new procedure — as it does when it says in so many words the action ("gia hạn",
"cấp lại") that the search's best starts with and the current procedure is not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from search_index.catalogue import Procedure
from search_index.families import ACTIONS, family_key, fold
from vntext.abbreviations import expand_abbreviations
from vntext.normalize import folded_words, normalize, strip_accents

# Share of the message's content words that must be follow-up vocabulary for it to carry on.
FOLLOW_UP_SHARE = 0.6
# The procedure being discussed still counts as meant when the search ranks it this high (first).
FOLLOW_UP_RANKS = 1

_POINTING_BACK = re.compile(
    r"\b(?:thu tuc|ho so|cai|viec|truong hop|giay) (?:nay|do|tren|vua roi|ay|kia)\b|\bnhu (?:vay|tren)\b"
)
# "có cần mang sổ hộ khẩu không", "nộp kèm bản sao sổ đỏ à": a paper to bring or attach is a
# question about the current procedure's papers, even when the paper names another procedure.
# ("cần mang gì khi đi đăng ký thường trú" brings no paper: it asks the papers of what it names.)
_ABOUT_A_PAPER = re.compile(
    r"\b(?:mang(?: theo)?|dem theo|nop kem|kem theo|xuat trinh)\s+(?!gi\b|nhung\b|cac\b|theo\b|nhieu\b)\w+"
)
# "có cần giấy ly hôn không", "co phai nop ban sao so ho khau ko": the paper asked about, folded.
_NEEDS_A_PAPER = re.compile(
    r"\b(?:can|phai|bat buoc)\s+(?:co\s+|mang(?: theo)?\s+|dem theo\s+|nop(?: kem)?\s+|xuat trinh\s+|"
    r"kem theo\s+)?(?!gi\b|nhung\b|cac\b|giay to\b|ho so\b|lam\b|di\b|den\b|cho\b)"
    r"(?P<paper>(?:ban sao |ban chinh |ban photo )?(?:giay|so|the|ban|to|don|hop dong|van ban|quyet dinh|"
    r"chung nhan|xac nhan|can cuoc|cccd|ho chieu|bang)\b[\w ]{0,40}?)\s+(?:khong|ko|k|kg|hay sao|a|nhi)\b"
)
_PAPER_WORDS = frozenset(["ban", "sao", "chinh", "photo", "giay", "so", "the", "to", "don"])


def asked_paper(text: str) -> str | None:
    """The words that tell the paper a question asks about ("ly hon" for "có cần giấy ly hôn
    không"), accent-folded, abbreviations expanded; None when the question names no paper."""
    # "CCCD" is found as the documents say it (căn cước); "sổ hộ khẩu" only as typed (its expansion
    # names the residence procedure, not a paper).
    folded = (strip_accents(normalize(t)).lower() for t in (expand_abbreviations(text), text))
    match = next((m for t in folded if (m := _NEEDS_A_PAPER.search(t))), None)
    if match is None:
        return None
    words = match.group("paper").split()
    while len(words) > 2 and words[0] in _PAPER_WORDS:
        words.pop(0)  # "giấy", "bản sao": every paper is one ("sổ đỏ" keeps its "sổ")
    return " ".join(words)


# The words of follow-up questions, accent-folded: they ask about the procedure, they do not name one.
_FOLLOW_UP_VOCABULARY = """
    ngay thang tuan nam hom gio buoi sang chieu toi mai nay lau nhanh cham som muon han hen
    tien dong trieu nghin ngan tram bao nhieu mien phi le ton chi phi gia tra dong
    ban sao chinh photo chup trang to mau so may loai giay kem theo mang
    chuan bi nop lay nhan ket qua tra gui di den len ve o tai dau cho noi
    truc tiep truc tuyen online mang dien thoai app vneid cong dich vu buu dien buu chinh
    xa phuong huyen quan tinh thanh pho uy ban ubnd cong an mot cua bo phan trung tam co quan can bo
    ai nguoi minh toi em anh chi ban vo chong con bo me ong ba gia dinh nha
    co khong duoc phai can nua them lai xong roi chua sao the nao bang cach buoc trinh tu dieu kien
    can cu luat nghi dinh thong tu quyet dinh van ban phap ly
    la va hay hoac voi nhu nao gi may bao nhieu thi ma neu khi de cua cac nhung
    mat ad admin oi nhe vay ca hai ben moi tat thuc hien ra vao bat
    theo tren duoi qua bang dem tong khoang gap luc toan
"""
_FOLLOW_UP_WORDS = frozenset(_FOLLOW_UP_VOCABULARY.split())
# Words in the names of many procedures: sharing only these with a name is no evidence of a match.
GENERIC_NAME_WORDS = frozenset(
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
        "thu",
        "tuc",
    ]
)


def carries_on(
    text: str,
    content: Sequence[str],
    current: Procedure,
    ranked: Sequence[Procedure],
) -> bool:
    """True when the message (``text``, its ``content`` words) is about ``current`` rather than a new
    procedure; ``ranked`` is what the search found for it, best first."""
    if not content:
        return True
    plain = strip_accents(normalize(text))
    if _POINTING_BACK.search(plain):
        return True
    if ranked and _asks_another_action(plain, current, ranked[0]):
        return False
    if _ABOUT_A_PAPER.search(plain) or asked_paper(text) is not None:
        return True
    folded = [strip_accents(w) for w in content]
    # Words found in the names of many procedures ("cấp", "đăng ký") count neither way.
    telling = [w for w in folded if w not in GENERIC_NAME_WORDS]
    if sum(w in _FOLLOW_UP_WORDS for w in telling) >= FOLLOW_UP_SHARE * len(telling):
        return True
    if any(p.code == current.code for p in ranked[:FOLLOW_UP_RANKS]):
        return True
    # The words that are left name something: the procedure being discussed, unless the search's best
    # has more of them in its name ("chưa có số định danh thì đăng ký MST được không" stays on the tax
    # registration; "còn đăng ký kết hôn thì sao" leaves birth registration).
    naming = {w for w in folded if w not in _FOLLOW_UP_WORDS and w not in GENERIC_NAME_WORDS}
    here = len(naming & _name_words(current))
    there = len(naming & _name_words(ranked[0])) if ranked else 0
    return here > 0 and here >= there


def _asks_another_action(plain: str, current: Procedure, best: Procedure) -> bool:
    """The message says, in so many words, the action the search's best name starts with ("gia hạn",
    "cấp lại") and the current procedure is not that action: after "đăng ký tạm trú", "muốn ở tiếp
    thì phải gia hạn trước mấy ngày" asks about the extension."""
    key, now = family_key(best.name), fold(current.name)
    return any(
        key.startswith(f"{action} ") and f" {action} " in f" {plain} " and f" {action} " not in f" {now} "
        for action in ACTIONS
    )


def _name_words(procedure: Procedure) -> set[str]:
    return set(folded_words(procedure.name))
