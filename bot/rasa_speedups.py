"""Per-turn costs of Rasa 3.6.21 that no configuration removes, removed where Rasa runs (imported by
bot/gateway_channel.py, which every Rasa server of ours loads as its channel and tracker store).

``RemoteAction._validate_action_result`` validates each action server answer with
``jsonschema.validate``, which first checks the *schema* against the JSON-Schema meta-schema: on a
profile of 78 turns that was over half of Rasa's time per turn (jsonschema 4.17 resolves every ``$ref``
of the meta-schema each time). The answer is still validated, against the same schema, by a validator
built once; the error raised on an invalid answer is the same.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_validator: Any = None


def _action_result_validator() -> Any:
    global _validator
    if _validator is None:
        schema = RemoteAction.action_response_format_spec()
        cls = jsonschema.validators.validator_for(schema)
        cls.check_schema(schema)  # once, not at every action call
        _validator = cls(schema)
    return _validator


def validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = jsonschema.exceptions.best_match(_action_result_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        "Action endpoint is valid. For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result  # type: ignore[method-assign]
