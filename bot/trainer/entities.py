"""Entity annotations that Rasa would silently read as plain text, or that name an entity the domain lacks."""
from __future__ import annotations

import re
from typing import Iterable

from rasa.shared.exceptions import InvalidEntityFormatException
from rasa.shared.nlu.training_data.entities_parser import ENTITY_REGEX, find_entities_in_training_example

from bot.checks import Problem
from bot.trainer.nlu_data import TrainingExample

HOW = "write it as [the words](entity), e.g. [10482](order_id)"
# `10482(order_id)` or `10482 (order_id)`: the brackets around the words are missing.
_BARE_ENTITY = re.compile(r"\(\s*([a-z_]+)\s*\)")


def annotation_problems(example: TrainingExample, entities: set[str]) -> list[str]:
    """What is wrong with the entity markup of one example, in words (empty when nothing is)."""
    try:
        found = find_entities_in_training_example(example.text)
    except (InvalidEntityFormatException, ValueError) as error:
        return [f"an entity annotation does not parse ({str(error).splitlines()[0]}): {HOW}"]
    problems = [f"entity '{entity['entity']}' is not in domain.yml (`entities:` has {', '.join(sorted(entities))}): "
                "fix the name or add it there" for entity in found if entity["entity"] not in entities]
    rest = ENTITY_REGEX.sub("", example.text)
    if "[" in rest or "]" in rest:
        problems.append(f"a bracket is left over, so an annotation does not parse: {HOW}")
    elif any(name in entities for name in _BARE_ENTITY.findall(rest)):
        problems.append(f"an entity name in round brackets without [the words] before it: {HOW}")
    return problems


def entity_problems(examples: Iterable[TrainingExample], entities: set[str]) -> list[Problem]:
    return [
        Problem(str(example.path), f"“{example.text}”: {message}", example.line)
        for example in examples
        for message in annotation_problems(example, entities)
    ]
