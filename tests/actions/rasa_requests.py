"""Rasa's action-server wire format (what Rasa 3.6 POSTs to /webhook), built from the real domain."""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

DOMAIN_FILE = Path(__file__).resolve().parents[2] / "bot" / "domain.yml"


@functools.cache
def domain() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))
    return loaded


def user_event(text: str, intent: str, entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": time.time(),
        "text": text,
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "entities": entities or [],
        },
        "input_channel": "rest",
    }


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value, "start": 0, "end": len(value), "extractor": "test"}


def action_request(
    action: str,
    *,
    sender: str,
    text: str,
    intent: str,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    active_loop: str | None = None,
    slots_just_set: dict[str, Any] | None = None,
    earlier_events: list[dict[str, Any]] | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The JSON body for one action call after the citizen said ``text``.

    ``slots_just_set`` are SlotSet events after the user message (what a form validator validates).
    """
    latest = user_event(text, intent, entities)
    if metadata:
        latest["metadata"] = metadata
    events = [*(earlier_events or []), latest]
    events += [
        {"event": "slot", "name": k, "value": v, "timestamp": time.time()}
        for k, v in (slots_just_set or {}).items()
    ]
    all_slots = {name: None for name in domain()["slots"]} | (slots or {}) | (slots_just_set or {})
    return {
        "next_action": action,
        "sender_id": sender,
        "version": "3.6.21",
        "domain": domain(),
        "tracker": {
            "sender_id": sender,
            "slots": all_slots,
            "latest_message": {**latest["parse_data"], "metadata": metadata or {}},
            "latest_event_time": time.time(),
            "followup_action": None,
            "paused": False,
            "events": events,
            "latest_input_channel": "rest",
            "active_loop": {"name": active_loop} if active_loop else {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


def call(base_url: str, body: dict[str, Any], timeout: float = 180) -> dict[str, Any]:
    response = httpx.post(
        f"{base_url}/webhook",
        content=json.dumps(body),
        timeout=timeout,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def texts(result: dict[str, Any]) -> str:
    return "\n".join(r.get("text") or "" for r in result["responses"])


def slot_events(result: dict[str, Any]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in result["events"] if e.get("event") == "slot"}
