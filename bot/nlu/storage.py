"""Saving fitted scikit-learn objects inside a Rasa model with skops (no pickle)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

_TRUSTED_PREFIXES = ("sklearn.", "numpy.", "scipy.", "builtins.", "collections.")


def dump(obj: Any, path: Path) -> None:
    import skops.io as sio

    sio.dump(obj, path)


def load(path: Path) -> Any:
    """Load a skops file, trusting only types from scikit-learn, NumPy and SciPy."""
    import skops.io as sio

    untrusted = sio.get_untrusted_types(file=path)
    foreign = [name for name in untrusted if not name.startswith(_TRUSTED_PREFIXES)]
    if foreign:
        raise ValueError(f"{path} holds types that are not trusted: {foreign}")
    return sio.load(path, trusted=untrusted)
