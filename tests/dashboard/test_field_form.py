"""A flat form's refusals: each beside the control its path starts with (a list's item named),
a path no control has and a service's refusal above the form or beside the field named."""

from chargeyard.dashboard.field_form import FieldForm, refusals, refused
from chargeyard.dashboard.forms import FormInvalid
from chargeyard.errors import Conflict, Invalid

LABELS = {"name": "Name", "recipients": "Recipients"}


def test_a_model_refusal_goes_beside_its_control() -> None:
    error = FormInvalid(
        "...",
        {"name": "too long", "recipients.2": "too short", "recipients.4": "too short", "x.y": "?"},
    )
    assert refusals(error, LABELS) == {
        "name": "too long",
        "recipients": "item 3: too short; item 5: too short",
        "": "x.y: ?",
    }


def test_a_service_refusal_goes_where_the_page_says() -> None:
    assert refusals(Conflict("taken"), LABELS) == {"": "taken"}
    said = "name: Location 'x' does not exist"  # a refusal that starts by naming its control
    assert refusals(Invalid(said), LABELS, about="recipients") == {"name": said}
    assert refusals(Invalid("parent_id: no"), LABELS) == {"": "parent_id: no"}  # no such control
    assert refusals(Invalid("not an address"), LABELS, about="recipients") == {
        "recipients": "not an address"
    }


def test_the_form_comes_back_as_sent_with_its_list_of_refusals() -> None:
    sent = {"name": " Van ", "recipients": "a", "revision": "3", "csrf_token": "t"}
    form = refused(sent, LABELS, FormInvalid("...", {"name": "bad"}), keep=("revision",))
    assert form.values == {"name": " Van ", "recipients": "a", "revision": "3"}
    assert form.summary == [("name", "Name: bad")] and form.focus == "errors"
    assert FieldForm({"name": "Van"}, labels=LABELS).focus == ""


def test_times_come_back_in_utc_for_their_controls() -> None:
    """A `datetime-local` control sent as the browser's instant shows it in UTC (the script
    turns it back into local time from `data-instant`); a bare value is UTC already, and text
    that is no time is kept as typed, so the user sees what was refused."""
    labels = {"starts_at": "From", "ends_at": "Until", "note": "Note"}
    sent = {"starts_at": "2026-12-07T17:00:00.000Z", "ends_at": "2026-12-07T19:30+01:00"}
    form = refused(
        sent | {"note": "2026-12-07T17:00Z"}, labels, Invalid("no"), times=("starts_at", "ends_at")
    )
    assert (form.value("starts_at"), form.value("ends_at")) == (
        "2026-12-07T17:00",
        "2026-12-07T18:30",
    )
    assert form.value("note") == "2026-12-07T17:00Z"  # not a time control: as typed
    assert (
        refused(
            {"starts_at": "2026-12-07T09:15"}, labels, Invalid("no"), times=("starts_at",)
        ).value("starts_at")
        == "2026-12-07T09:15"
    )
    assert (
        refused({"starts_at": "soon"}, labels, Invalid("no"), times=("starts_at",)).value(
            "starts_at"
        )
        == "soon"
    )
    assert refused({}, labels, Invalid("no"), times=("starts_at",)).value("starts_at") == ""
