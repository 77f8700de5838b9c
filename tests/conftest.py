"""Hypothesis profiles for the whole suite.

* ``"ci"`` (chosen when the environment variable ``CI`` is set, as CI services and
  ``.ci/run`` set it): derandomized, so a red CI run is the same run on every machine and
  every rerun, and without the example database (a fresh clone has none to replay);
* ``"dev"`` (the default elsewhere): random examples, and the local database in
  ``.hypothesis/`` that replays a failure until it is fixed.

``HYPOTHESIS_PROFILE=ci`` (or ``dev``) chooses one explicitly. A failure that a random run
finds is kept as an ``@example`` on its test, so every profile runs it from then on.

The browser tests' ``browser`` fixture lives here too: the system's Chromium (Debian's
package) driven by Playwright, headless, with no background network traffic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

#: How the browser tests start Chromium (as root, on a machine without a network).
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield b
        b.close()
