"""The shell of a component that reads each message's intent again after the classifier, from rules on
its words: nothing to train, nothing to configure, nothing kept between messages."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message


class IntentRewriter(GraphComponent):
    """Calls ``rewrite`` on every message (subclasses register themselves with the recipe)."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentRewriter:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self.rewrite(message)
        return messages

    def rewrite(self, message: Message) -> None:
        raise NotImplementedError
