"""Rasa graph component that detects each message's language and adds it to the parse result."""
from __future__ import annotations

from typing import Any, Optional

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.languages import hint_from_metadata
from bot.nlu.language_model import Detection, LanguageModel, Settings
from bot.text import script_of

LANGUAGE_KEY = "language"
LANGUAGE_ENTITY = "language"


def training_language(message: Message) -> Optional[str]:
    """The language a training example was written in (`metadata: {language: xx}` in its intent block)."""
    metadata = message.get("metadata") or {}
    for level in ("example", "intent"):
        block = metadata.get(level)
        if isinstance(block, dict) and block.get("language"):
            return block["language"]
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=True)
class LanguageDetector(GraphComponent):
    """Sets `language: {code, confidence, script, supported}` and, when confident, a `language` entity."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**Settings().__dict__, "entity_threshold": 0.6}

    @staticmethod
    def required_packages() -> list[str]:
        return ["langdetect", "sklearn"]

    def __init__(
        self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource, model: LanguageModel
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @staticmethod
    def _settings(config: dict[str, Any]) -> Settings:
        return Settings(**{key: config[key] for key in Settings().__dict__})

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "LanguageDetector":
        return cls(config, model_storage, resource, LanguageModel(cls._settings(config)))

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "LanguageDetector":
        with model_storage.read_from(resource) as directory:
            model = LanguageModel.load(directory)
        return cls(config, model_storage, resource, model)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [(m.get(TEXT), training_language(m)) for m in training_data.training_examples if m.get(TEXT)]
        labelled = [(text, lang) for text, lang in examples if lang]
        if not labelled:
            raise ValueError(
                "LanguageDetector needs training examples with a language: add `metadata: {language: xx}` "
                "to every intent block in data/nlu/."
            )
        self._model.fit([text for text, _ in labelled], [lang for _, lang in labelled])
        with self._model_storage.write_to(self._resource) as directory:
            self._model.save(directory)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Training examples carry their language already; record it the way `process` would."""
        for message in training_data.training_examples:
            code = training_language(message)
            if code and message.get(TEXT):
                message.set(LANGUAGE_KEY, Detection(code, 1.0, script_of(message.get(TEXT)), True).as_dict())
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            detection = self._model.detect(text, hint_from_metadata(message.get("metadata")))
            message.set(LANGUAGE_KEY, detection.as_dict(), add_to_output=True)
            if detection.supported and detection.confidence >= self._config["entity_threshold"]:
                entity = {
                    "entity": LANGUAGE_ENTITY,
                    "value": detection.code,
                    "start": 0,
                    "end": len(text),
                    "confidence": round(detection.confidence, 4),
                    "extractor": self.__class__.__name__,
                }
                message.set(ENTITIES, message.get(ENTITIES, []) + [entity], add_to_output=True)
        return messages
