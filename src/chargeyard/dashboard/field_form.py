"""A flat form (one control per body field) as a page draws it again after a refusal: the values
as sent, each refusal beside the field it is about, and the whole list above the form. Pure: no
I/O.

The body model's refusals (`forms.FormInvalid`) carry pydantic's path of each value; a form of
plain fields keys them by the path's first part, the control's name (`recipients.2`, the third
address typed into one field, is said beside `recipients` as "item 3: ..."). A service's refusal
(409, 412, a rule of the service) goes to the control its message starts by naming
(`parent_id: ...`, as the services word a refused reference), else to the field the page says it
is about, or to the form as a whole (""). `layout_form.py` is the same idea for the nested hardware
template layout.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from chargeyard.dashboard.forms import FormInvalid, utc_input
from chargeyard.errors import ChargeyardError


def refusals(error: ChargeyardError, fields: Mapping[str, str], about: str = "") -> dict[str, str]:
    """What `error` refuses, keyed by the form's control (a key of `fields`, the controls and
    their labels) or "" for the form as a whole; a service's refusal goes to the control it
    starts by naming ("parent_id: ..."), else to `about`."""
    if not isinstance(error, FormInvalid):
        head, colon, _ = error.detail.partition(":")
        return {head if colon and head in fields else about: error.detail}
    found: dict[str, str] = {}
    for path, message in error.fields.items():
        head, _, rest = path.partition(".")
        key = head if head in fields else ""
        if rest.isdigit():
            message = f"item {int(rest) + 1}: {message}"
        elif key == "" and path:
            message = f"{path}: {message}"
        found[key] = f"{found[key]}; {message}" if key in found else message
    return found


@dataclass(frozen=True)
class FieldForm:
    """A form's values as text (what the controls show), what was refused (by control; "" for
    the form) and the labels its list of refusals names them by. `focus` is "errors" when the
    page comes back refused, so the list takes the focus."""

    values: Mapping[str, str] = field(default_factory=dict)
    errors: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def focus(self) -> str:
        return "errors" if self.errors else ""

    @property
    def summary(self) -> list[tuple[str, str]]:
        """What was refused, in words, each with the control it is about ("" for none)."""
        return [
            (name, f"{self.labels.get(name, name)}: {message}" if name else message)
            for name, message in self.errors.items()
        ]

    def value(self, name: str) -> str:
        return self.values.get(name, "")


def refused(
    sent: Mapping[str, str],
    labels: Mapping[str, str],
    error: ChargeyardError,
    about: str = "",
    keep: tuple[str, ...] = (),
    times: tuple[str, ...] = (),
) -> FieldForm:
    """The form as sent (its controls' values as typed, and the hidden fields `keep` names,
    such as the revision the page showed) with what `error` refuses beside each control.
    `times` are its `datetime-local` controls, sent as instants: shown again in UTC for the
    control (`forms.utc_input`), which the script turns back into the browser's time."""
    values = {name: sent.get(name, "") for name in (*labels, *keep)}
    values |= {name: utc_input(values[name]) for name in times if values.get(name)}
    return FieldForm(values, refusals(error, labels, about), labels)
