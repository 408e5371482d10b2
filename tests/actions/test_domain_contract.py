"""The action server and bot/domain.yml agree: every custom action exists, every slot set exists."""

from __future__ import annotations

from rasa_sdk.executor import ActionExecutor

from assistant.procedures.answers import Aspect
from tests.actions.rasa_requests import domain


def test_every_custom_action_of_the_domain_is_served() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    custom = {name for name in domain()["actions"] if not name.startswith("utter_")}
    assert custom == set(executor.actions)


def test_slots_the_actions_set_are_in_the_domain() -> None:
    slots = domain()["slots"]
    for name in ("procedure_code", "procedure_name", "last_aspect", "dossier_code", "phone_last4", "rating"):
        assert name in slots
    assert {a.value for a in Aspect} == set(slots["last_aspect"]["values"])
    assert {f"action_answer_{a.value}" for a in Aspect} <= set(domain()["actions"])
