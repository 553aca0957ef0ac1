"""The tariff form's price lines, to and from a tariff's OCPI elements. Pure: no I/O.

A line is one element with one price component, in force at all times or between two times of
day: what most tariffs are (a price per kWh, cheaper at night, a session fee, parking by the
hour). A tariff built otherwise through the REST API (several components in an element, or
restrictions by date, energy, power, duration or weekday) has no lines: the form then leaves
its prices alone and changes only the rest. The body built here is checked by the REST API's
own models (`TariffCreate`, `TariffPatch`). A refused form is shown again as sent
(`sent_lines`, `field_form.refused`) with the body model's refusal of an element said beside
the line it came from (`by_line`).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from chargeyard.dashboard.forms import FormInvalid
from chargeyard.tariffs.domain import Dimension

MAX_LINES = 8
BLANK_LINES = 2
"""Empty lines the form offers beyond a tariff's own."""
DIMENSIONS = tuple(d.value for d in Dimension)
TIMES = ("start_time", "end_time")
CLEARABLE = ("tax_rate", "min_price", "max_price")
SCALARS = ("currency", "tax_rate", "min_price", "max_price", "prices_include_tax")
"""The pricing fields besides the elements (changing any makes a new version)."""
LABELS = {
    "name": "Tariff name",
    "description": "Description",
    "is_default": "Default tariff",
    "currency": "Currency",
    "tax_rate": "Tax rate (%)",
    "prices_include_tax": "Prices include tax",
    "min_price": "Minimum price",
    "max_price": "Maximum price",
    "elements": "Prices",
} | {f"line-{i}": f"Line {i + 1}" for i in range(MAX_LINES)}
"""The form's fields by what its list of refusals calls them; a line's refusal is said beside
the line (`line-0`), the prices as a whole (no line with a price) beside the lines."""


@dataclass(frozen=True)
class PriceLine:
    type: str = "ENERGY"
    price: str = ""
    step_size: str = "1"
    vat: str = ""
    start_time: str = ""
    end_time: str = ""


def lines_of(definition: Mapping[str, Any]) -> list[PriceLine] | None:
    """A tariff's elements as lines, or None when one of them does not fit a line."""
    lines = []
    for element in definition.get("elements", []):
        components = element.get("price_components", [])
        restrictions = element.get("restrictions") or {}
        if len(components) != 1 or any(
            value not in (None, "", []) for key, value in restrictions.items() if key not in TIMES
        ):
            return None
        c = components[0]
        lines.append(
            PriceLine(
                c["type"],
                str(c["price"]),
                str(c.get("step_size", 1)),
                "" if c.get("vat") is None else str(c["vat"]),
                restrictions.get("start_time") or "",
                restrictions.get("end_time") or "",
            )
        )
    return lines


def form_lines(lines: list[PriceLine]) -> list[PriceLine]:
    """What the form shows: the tariff's lines and a few empty ones, up to the maximum."""
    return (lines + [PriceLine()] * BLANK_LINES)[: max(MAX_LINES, len(lines))]


def elements_of(form: Mapping[str, str]) -> list[dict[str, Any]]:
    """The elements of the form's lines, in order; a line without a price is no line."""
    elements = []
    for i in range(MAX_LINES):
        field = {
            name: form.get(f"line-{i}-{name}", "").strip() for name in PriceLine.__annotations__
        }
        if not field["price"]:
            continue
        component: dict[str, Any] = {"type": field["type"], "price": field["price"]}
        if field["step_size"]:
            component["step_size"] = field["step_size"]
        if field["vat"]:
            component["vat"] = field["vat"]
        element: dict[str, Any] = {"price_components": [component]}
        times = {name: field[name] for name in TIMES if field[name]}
        if times:
            element["restrictions"] = times
        elements.append(element)
    return elements


def tariff_body(form: Mapping[str, str], *, with_lines: bool) -> dict[str, Any]:
    """A tariff body from the form: its name, description, default flag and pricing fields,
    and its elements when the form showed lines. Empty fields are left out (the body model's
    defaults apply, or the tariff keeps its value) but for the tax rate, minimum and maximum
    price, which an emptied field removes."""
    body: dict[str, Any] = {
        name: form[name]
        for name in ("name", "description", "is_default", *SCALARS)
        if form.get(name, "") != ""
    }
    body |= {k: body[k] == "true" for k in ("prices_include_tax", "is_default") if k in body}
    body |= {k: None for k in CLEARABLE if form.get(k) == ""}
    if with_lines:
        body["elements"] = elements_of(form)
    return body


def tariff_values(
    name: str, description: str | None, is_default: bool, pricing: Mapping[str, Any]
) -> dict[str, str]:
    """A tariff's fields as the form's controls show them (an empty field for a value not
    set); a new tariff's form is `tariff_values("", None, False, {"currency": "EUR"})`."""
    scalars = {k: "" if pricing.get(k) is None else str(pricing[k]) for k in SCALARS}
    flags = {
        "is_default": is_default,
        "prices_include_tax": bool(pricing.get("prices_include_tax")),
    }
    return (
        {"name": name, "description": description or ""}
        | scalars
        | {k: "true" if v else "false" for k, v in flags.items()}
    )


def sent_lines(form: Mapping[str, str]) -> list[PriceLine]:
    """The lines as a refused form sent them, every line the form showed, kept as typed."""
    return [
        PriceLine(**{name: form.get(f"line-{i}-{name}", "") for name in PriceLine.__annotations__})
        for i in range(MAX_LINES)
    ]


def by_line(refusal: FormInvalid, form: Mapping[str, str]) -> FormInvalid:
    """`refusal` with each element's path (`elements.1.price_components.0.price`) turned into
    the form line it came from (`line-3`, when lines 1 and 2 had no price) and the rest of the
    path said in its message, so the page shows it beside that line."""
    priced = [i for i in range(MAX_LINES) if form.get(f"line-{i}-price", "").strip()]
    fields: dict[str, str] = {}
    for path, message in refusal.fields.items():
        head, _, rest = path.partition(".")
        index, _, inner = rest.partition(".")
        if head == "elements" and index.isdigit() and int(index) < len(priced):
            key = f"line-{priced[int(index)]}"
            text = f"{inner.rsplit('.', 1)[-1]}: {message}" if inner else message
        else:
            key, text = path, message
        fields[key] = f"{fields[key]}; {text}" if key in fields else text
    return FormInvalid(refusal.detail, fields)
