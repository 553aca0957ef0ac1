"""The hourly rollup: folding samples is independent of how they are split into batches."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.retention.domain import Aggregate, RetentionPolicy, Sample, fold, hour_of

START = datetime(2026, 1, 1, tzinfo=UTC)


def sample(minute: int, number: float | None, measurand: str = "Power.Active.Import") -> Sample:
    return Sample(
        organization_id="org",
        station_id="CP1",
        evse_id=1,
        connector_id=1,
        transaction_id=7,
        measurand=measurand,
        phase=None,
        location=None,
        unit="W",
        timestamp=START + timedelta(minutes=minute),
        number=number,
    )


samples = st.lists(
    st.builds(
        sample,
        st.integers(0, 180),
        st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
        st.sampled_from(["Power.Active.Import", "Energy.Active.Import.Register"]),
    ),
    max_size=40,
)


def merged(folds: list[dict]) -> dict:  # type: ignore[type-arg]
    total: dict = {}  # type: ignore[type-arg]
    for folded in folds:
        for key, aggregate in folded.items():
            total[key] = aggregate if key not in total else total[key].merge(aggregate)
    return total


def rounded(folded: dict) -> dict:  # type: ignore[type-arg]
    """Sums compared to 6 decimals: float addition is not associative in the last bits."""
    return {
        k: (
            a.count,
            a.numeric_count,
            round(a.total, 6),
            a.minimum,
            a.maximum,
            a.first_at,
            a.first_value,
            a.last_at,
            a.last_value,
        )
        for k, a in folded.items()
    }


@given(samples, st.integers(1, 10))
def test_batches_fold_to_the_same_rollup_in_any_split(all_samples: list[Sample], size: int) -> None:
    batches = [all_samples[i : i + size] for i in range(0, len(all_samples), size)]
    assert rounded(merged([fold(b) for b in batches])) == rounded(fold(all_samples))
    assert rounded(merged([fold(b) for b in reversed(batches)])) == rounded(fold(all_samples))


def test_an_hour_of_samples_keeps_count_extremes_and_ends() -> None:
    folded = fold([sample(10, 3000.0), sample(0, 1000.0), sample(30, None), sample(70, 5.0)])
    first_hour = folded[sample(0, 0).key()]
    assert first_hour == Aggregate(
        count=3,
        numeric_count=2,
        total=4000.0,
        minimum=1000.0,
        maximum=3000.0,
        first_at=START,
        first_value=1000.0,
        last_at=START + timedelta(minutes=30),
        last_value=None,
    )
    assert folded[sample(70, 0).key()].count == 1
    assert len(folded) == 2


def test_the_meter_values_cutoff_is_a_whole_hour() -> None:
    policy = RetentionPolicy(1, 90, 1, 1, 100)
    now = datetime(2026, 12, 5, 14, 37, 12, tzinfo=UTC)
    assert policy.meter_values_cutoff(now) == datetime(2026, 9, 6, 14, tzinfo=UTC)
    assert hour_of(now) == datetime(2026, 12, 5, 14, tzinfo=UTC)
    assert RetentionPolicy(None, None, None, None, 100).meter_values_cutoff(now) is None
