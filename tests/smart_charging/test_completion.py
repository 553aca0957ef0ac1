"""The completion preference's rule (`smart_charging.completion`)."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from chargeyard.smart_charging.completion import completion_weights


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.floats(0.0, 60.0), min_size=1, max_size=12),
    st.floats(0.0, 1.0),
)
def test_completion_weights_favour_the_nearly_done_within_the_tilt(
    remaining: list[float], tilt: float
) -> None:
    values = np.array(remaining)
    weights = completion_weights(values, tilt)
    assert np.all(weights >= 1.0) and np.all(weights <= 1.0 + tilt + 1e-12)
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(weights[order]) <= 1e-12)  # less left to charge: weighs no less


def test_no_tilt_and_no_sessions_weigh_one() -> None:
    assert completion_weights(np.array([1.0, 30.0]), 0.0).tolist() == [1.0, 1.0]
    assert completion_weights(np.zeros(0)).tolist() == []
