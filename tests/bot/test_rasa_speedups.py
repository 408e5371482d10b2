"""The action-answer validator built once accepts and rejects what Rasa's own check does."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot import rasa_speedups

VALID = {
    "events": [{"event": "slot", "name": "procedure_code", "value": "1.001193"}],
    "responses": [{"text": "ok"}],
}
INVALID = {"events": [{"event": "slot", "name": 3}], "responses": "not a list"}


@pytest.fixture(scope="module")
def action() -> RemoteAction:
    rasa_speedups.install()
    return RemoteAction("action_answer_fee", None)


def test_a_valid_answer_passes(action: RemoteAction) -> None:
    assert action._validate_action_result(VALID) is True
    jsonschema.validate(VALID, RemoteAction.action_response_format_spec())


def test_an_invalid_answer_is_refused_as_rasa_refuses_it(action: RemoteAction) -> None:
    with pytest.raises(jsonschema.ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result(INVALID)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(INVALID, RemoteAction.action_response_format_spec())


def test_installed_by_the_gateway_channel() -> None:
    import bot.gateway_channel  # noqa: F401

    assert RemoteAction._validate_action_result is rasa_speedups.validate_action_result
