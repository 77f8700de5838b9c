"""Regenerate the committed pictures in ``docs/``: ``python docs/make_pictures.py``.

``docs/article_graph.svg``: the article's 2-2-2 network on the worked example after one
backward sweep, every edge labelled with its local derivative, and the path from ``w5`` to
``J`` highlighted, so that ``dJ/dw5 = dJ/do1 · do1/dnet3 · dnet3/dw5`` reads off the picture.
Needs Graphviz's ``dot``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from autograd import draw_dot
from nn.article import build_network, forward

DOCS = Path(__file__).resolve().parent


def article_graph(highlight: str = "w5") -> Any:
    """The article's graph (a ``graphviz.Digraph``) with ``highlight``'s paths to ``J``."""
    p = forward(build_network())  # the worked example's weights, every node named
    p.J.backward()  # fill every .grad: dJ/d(node)
    return draw_dot(p.J, edge_labels=True, highlight=p.params[highlight])


def main(argv: list[str] | None = None) -> int:
    """Write ``article_graph.svg`` into ``--out`` (default: this ``docs/`` directory)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DOCS, help="directory to write into")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "article_graph.svg"
    target.write_bytes(article_graph().pipe(format="svg"))
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
