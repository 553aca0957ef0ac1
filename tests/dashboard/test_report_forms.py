"""The reports page's filter form as drawn from each kind's filter model."""

from chargeyard.dashboard.report_forms import filter_fields, given_filters
from chargeyard.reports.domain import ReportKind
from chargeyard.reports.kinds import KINDS, filters_of
from chargeyard.reports.schemas import AlertFilters, TransactionFilters


def test_each_filter_gets_the_input_its_type_needs() -> None:
    fields = {f.name: f for f in filter_fields(AlertFilters)}
    assert fields["status"].input == "choice" and fields["status"].many
    assert fields["status"].choices[0] == ("", "Any")
    assert fields["since"].input == "datetime"
    assert fields["evse_id"].input == "number" and fields["evse_id"].label == "EVSE ID"
    assert fields["station_id"].input == "text" and fields["station_id"].label == "Station ID"
    active = {f.name: f for f in filter_fields(TransactionFilters)}["active"]
    assert active.choices == (("", "Any"), ("true", "Yes"), ("false", "No"))


def test_a_form_s_filters_are_what_the_kind_accepts() -> None:
    form = {
        "status": "Triggered",
        "station_id": " CP-1 ",
        "since": "2026-01-01T08:00",
        "until": "",
        "csrf_token": "x",
        "kind": "alerts",
    }
    given = given_filters(AlertFilters, form)
    assert given == {
        "status": ["Triggered"],
        "station_id": "CP-1",
        "since": "2026-01-01T08:00:00+00:00",
    }
    assert filters_of(ReportKind.ALERTS, given).station_id == "CP-1"


def test_every_kind_has_a_form() -> None:
    for kind, spec in KINDS.items():
        assert filter_fields(spec.filters), kind
