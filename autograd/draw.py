"""Pictures of computation graphs (placeholder until the drawing issue lands)."""

from __future__ import annotations

from typing import Any

from autograd.value import Value


def draw_dot(root: Value, **options: Any) -> Any:
    """Draw the graph under ``root`` with Graphviz (not implemented yet)."""
    raise NotImplementedError("draw_dot arrives with the drawing issue")
