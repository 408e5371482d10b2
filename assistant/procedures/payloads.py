"""What a button sends: Rasa's ``/intent{entities}`` messages, the same on the widget, Zalo and Messenger.

A button chooses a procedure (``inform`` with its ``procedure_code``) or an aspect of one
(``ask_fee`` with the code, and ``detail: full`` for the whole text behind "Xem đầy đủ"). The gateway
reads them back when Rasa is down.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum

_PAYLOAD = re.compile(r"^/(\w+)(\{.*\})?$")
FULL = "full"


@dataclass(frozen=True)
class ButtonPayload:
    intent: str
    procedure_code: str | None = None
    full: bool = False


def choice_payload(code: str) -> str:
    """The payload of a button that chooses a procedure: Rasa's ``inform`` with a ``procedure_code``."""
    return f'/inform{{"procedure_code": "{code}"}}'


def aspect_payload(aspect: StrEnum, code: str, *, full: bool = False) -> str:
    """``/ask_fee{"procedure_code": "1.001193"}``: the aspect of a procedure, asked by a tap."""
    entities = {"procedure_code": code} | ({"detail": FULL} if full else {})
    return f"/ask_{aspect.value}{json.dumps(entities, ensure_ascii=False)}"


def read_payload(text: str) -> ButtonPayload | None:
    """A payload typed or tapped, read back (what the gateway gets while Rasa is down)."""
    match = _PAYLOAD.match(text.strip())
    if not match:
        return None
    try:
        entities = json.loads(match.group(2)) if match.group(2) else {}
    except ValueError:
        return None
    if not isinstance(entities, dict):
        return None
    code = entities.get("procedure_code")
    return ButtonPayload(match.group(1), str(code) if code else None, entities.get("detail") == FULL)


def chosen_code(text: str) -> str | None:
    """The procedure code in a button's payload, if it carries one."""
    payload = read_payload(text)
    return payload.procedure_code if payload else None
