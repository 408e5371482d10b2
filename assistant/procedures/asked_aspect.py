"""The aspect a message asks about (documents, fee, time…), read from its words alone.

For when no classifier has read the message: the degraded mode (Rasa down) and the fallback (the
classifier did not understand a long formal question such as "Kính gửi …, xin hỏi thủ tục … cần những
giấy tờ gì?"). Keywords on the accent-folded text, so they match with and without diacritics.
"""

from __future__ import annotations

import re

from assistant.procedures.answers import Aspect
from search_index.families import fold
from vntext.normalize import normalize, strip_accents

# Checked in order on the accent-folded message; the first that matches decides.
_ASPECT_KEYWORDS: list[tuple[Aspect, tuple[str, ...]]] = [
    (Aspect.FEE, ("le phi", "phi ", "bao nhieu tien", "mat tien", "chi phi")),
    (Aspect.PROCESSING_TIME, ("bao lau", "may ngay", "thoi gian", "thoi han", "khi nao co")),
    (Aspect.WHERE_TO_SUBMIT, ("o dau", "noi nop", "cho nao", "nop tai", "co quan nao")),
    (Aspect.ONLINE_SERVICE, ("truc tuyen", "online", "qua mang", "buu chinh", "buu dien")),
    (Aspect.FORMS, ("mau don", "to khai", "bieu mau")),
    (Aspect.CONDITIONS, ("dieu kien",)),
    (Aspect.LEGAL_BASIS, ("can cu", "van ban phap", "luat nao", "nghi dinh")),
    (Aspect.PROCEDURE_STEPS, ("cac buoc", "trinh tu", "quy trinh", "lam the nao", "thu tuc the nao")),
    (Aspect.DOCUMENTS, ("giay to", "ho so gom", "can gi", "can nhung gi", "chuan bi")),
]


def asked_aspect(text: str) -> Aspect | None:
    """The aspect the message's words ask about; None when they ask none (a procedure named alone)."""
    folded = strip_accents(normalize(text)) + " "
    return next((aspect for aspect, keys in _ASPECT_KEYWORDS if any(k in folded for k in keys)), None)


# "thế còn tách thửa thì sao", "vay con dang ky ket hon thi sao a": what about another procedure.
_WHAT_ABOUT = re.compile(r"^(?:(?:the|vay|nhung|ma)\s+)*con\s+\S.*\bthi sao\b")


def asks_what_about(text: str) -> bool:
    """ "Còn … thì sao" naming no aspect: the last answer's question, asked of what it names."""
    return bool(_WHAT_ABOUT.search(fold(text))) and asked_aspect(text) is None
