"""Facts about the conversation that several actions need, read from the Rasa tracker."""

from __future__ import annotations

from rasa_sdk import Tracker


def latest_text(tracker: Tracker) -> str:
    """What the citizen typed last; empty for button payloads such as ``/inform{…}``."""
    text = str((tracker.latest_message or {}).get("text") or "")
    return "" if text.startswith("/") else text


def channel_of(tracker: Tracker) -> str:
    """The API gateway names the channel (web, zalo, messenger) in the message metadata."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    channel = metadata.get("channel") if isinstance(metadata, dict) else None
    return str(channel or tracker.get_latest_input_channel() or "rest")


def client_network_of(tracker: Tracker) -> str | None:
    """The web client's network as the API gateway saw it (message metadata); None on other channels."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    network = metadata.get("client_network") if isinstance(metadata, dict) else None
    return str(network)[:64] if network else None


def latest_intent(tracker: Tracker) -> str:
    return str(((tracker.latest_message or {}).get("intent") or {}).get("name") or "")


# The codes of the choice the last answer offered (a list slot): the next message may answer it in words.
OFFERED_SLOT = "offered_codes"
