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
    assert refusals(Invalid("not an address"), LABELS, about="recipients") == {
        "recipients": "not an address"
    }


def test_the_form_comes_back_as_sent_with_its_list_of_refusals() -> None:
    sent = {"name": " Van ", "recipients": "a", "revision": "3", "csrf_token": "t"}
    form = refused(sent, LABELS, FormInvalid("...", {"name": "bad"}), keep=("revision",))
    assert form.values == {"name": " Van ", "recipients": "a", "revision": "3"}
    assert form.summary == [("name", "Name: bad")] and form.focus == "errors"
    assert FieldForm({"name": "Van"}, labels=LABELS).focus == ""
