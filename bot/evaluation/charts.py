"""Confusion matrices as PNG pictures (matplotlib, no display needed)."""
from __future__ import annotations

from pathlib import Path
from typing import Any


def confusion_png(confusion: dict[str, Any], title: str, path: Path) -> Path:
    """Rows: the intent a message has; columns: the one the bot chose. Shade: share of the row; numbers: counts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels, matrix = confusion["labels"], confusion["matrix"]
    shares = [[count / (sum(row) or 1) for count in row] for row in matrix]
    size = max(6.0, 0.42 * len(labels) + 2.5)
    figure, axes = plt.subplots(figsize=(size, size * 0.9))
    axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    axes.set_yticks(range(len(labels)), labels, fontsize=8)
    axes.set_xlabel("intent the bot chose")
    axes.set_ylabel("intent of the test message")
    axes.set_title(title)
    for row, counts in enumerate(matrix):
        for column, count in enumerate(counts):
            if count:
                colour = "white" if shares[row][column] > 0.6 else ("firebrick" if row != column else "black")
                axes.text(column, row, str(count), ha="center", va="center", fontsize=7, color=colour)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
