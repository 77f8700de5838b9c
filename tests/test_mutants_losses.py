"""nn.losses: tests written for the mutants that survived ``mutmut`` (issue 17); see
docs/mutants/nn.losses.md."""

from __future__ import annotations

import pytest

from nn import MSELoss


@pytest.mark.parametrize("reduction", ["mean", "sum", "half_sum"])
def test_the_architecture_of_mse_loss(reduction: str) -> None:
    assert MSELoss(reduction).architecture() == {  # type: ignore[arg-type]
        "type": "MSELoss", "reduction": reduction}
