"""Rendering replies for text-only channels: long texts in pieces, buttons as a numbered list."""

from __future__ import annotations

import threading
import time

from api.schemas import Button


def split_text(text: str, limit: int) -> list[str]:
    """Cut at line breaks where possible, so a long answer arrives as a few readable messages."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current:
        chunks.append(current)
    return chunks or [""]


def with_numbered_buttons(text: str, buttons: list[Button]) -> str:
    if not buttons:
        return text
    options = "\n".join(f"{i}. {b.title}" for i, b in enumerate(buttons, start=1))
    return f"{text}\n\nBạn trả lời bằng số để chọn:\n{options}".strip()


class NumberedChoices:
    """The buttons last offered in each text-only conversation, so a reply "2" means the second button."""

    def __init__(self, ttl_seconds: float = 3600):
        self._ttl = ttl_seconds
        self._choices: dict[str, tuple[float, list[Button]]] = {}
        self._lock = threading.Lock()

    def remember(self, sender_id: str, buttons: list[Button]) -> None:
        with self._lock:
            if buttons:
                self._choices[sender_id] = (time.monotonic() + self._ttl, buttons)
            else:
                self._choices.pop(sender_id, None)

    def resolve(self, sender_id: str, text: str) -> str:
        """The chosen button's payload when the text is the number of an offered choice, else the text."""
        stripped = text.strip().rstrip(".")
        if not stripped.isdigit():
            return text
        with self._lock:
            expires, buttons = self._choices.get(sender_id, (0.0, []))
            if expires < time.monotonic():
                return text
            index = int(stripped) - 1
            if 0 <= index < len(buttons):
                self._choices.pop(sender_id, None)
                return buttons[index].payload
        return text
