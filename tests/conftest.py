"""Hypothesis profiles for the whole suite.

* ``"ci"`` (chosen when the environment variable ``CI`` is set, as CI services and
  ``.ci/run`` set it): derandomized, so a red CI run is the same run on every machine and
  every rerun, and without the example database (a fresh clone has none to replay);
* ``"dev"`` (the default elsewhere): random examples, and the local database in
  ``.hypothesis/`` that replays a failure until it is fixed.

``HYPOTHESIS_PROFILE=ci`` (or ``dev``) chooses one explicitly. A failure that a random run
finds is kept as an ``@example`` on its test, so every profile runs it from then on.
"""

from __future__ import annotations

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)
