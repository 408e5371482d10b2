"""Feedback tracking numbers (số theo dõi phản ánh): ``PA-<yyyyMMdd>-<NNNN>``, as citizens type them."""

from __future__ import annotations

import re

__all__ = ["FEEDBACK_CODE_PATTERN", "find_tracking_number"]

# Plain Python regex, no inline flags ("pa" or "PA" spelled out): the NLU regex and the parser below alike.
FEEDBACK_CODE_PATTERN = r"(?<![\w])[Pp][Aa]\s*-\s*[0-9]{8}\s*-\s*[0-9]{4}(?![\w])"

_NUMBER = re.compile(FEEDBACK_CODE_PATTERN)


def find_tracking_number(text: str) -> str | None:
    """The canonical "PA-20261123-0001" in the text, however its dashes were spaced, or None."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    day, serial = re.findall(r"[0-9]+", match.group())
    return f"PA-{day}-{serial}"
