"""The hardware template form's layout rows: read back from any form without an error, the same
layout after a round trip, and the row buttons' edits."""

from hypothesis import given
from hypothesis import strategies as st

from chargeyard.dashboard.layout_form import (
    described,
    edited,
    layout_body,
    rows_from_form,
    rows_of,
)
from chargeyard.hardware_templates.schemas import HardwareTemplateCreate
from tests.dashboard.test_hardware_templates import layout_fields
from tests.hardware_templates.test_reapply import CHANGED

NAMES = st.sampled_from(
    [
        "evses.0.evse_id",
        "evses.1.physical_reference",
        "evses.0.connectors.0.standard",
        "evses.2.connectors.7.max_voltage",
        "evses.01.connectors.1.unknown",
        "evses.-1.evse_id",
        "evses.x.connectors.0.format",
        "vendor",
    ]
)
ACTIONS = st.one_of(
    st.text(max_size=20),
    st.builds(
        lambda kind, where: kind + "".join(f":{n}" for n in where),
        st.sampled_from(["add-evse", "remove-evse", "add-connector", "remove-connector"]),
        st.lists(st.integers(0, 5), max_size=3),
    ),
)


@given(st.dictionaries(st.one_of(NAMES, st.text(max_size=30)), st.text(max_size=8)), ACTIONS)
def test_any_form_and_any_action_give_rows(fields: dict[str, str], action: str) -> None:
    rows = rows_from_form(fields)
    after, focus = edited(rows, action)
    assert isinstance(layout_body(after), list) and isinstance(focus, str)
    assert all(isinstance(c, dict) for row in after for c in row.connectors)


def test_a_layout_survives_the_form() -> None:
    def layout(evses: object) -> object:
        return HardwareTemplateCreate.model_validate({"vendor": "A", "model": "B", "evses": evses})

    assert layout(layout_body(rows_from_form(layout_fields(CHANGED)))) == layout(CHANGED)
    assert rows_from_form(layout_fields(CHANGED)) == rows_of(CHANGED)


def test_row_buttons() -> None:
    rows = rows_of(CHANGED)
    added, focus = edited(rows, "add-evse")
    assert [r.values["evse_id"] for r in added] == ["1", "3", "4"] and focus == "evses.2.evse_id"
    assert (
        added[2].connectors == rows[1].connectors and added[2].connectors is not rows[1].connectors
    )
    plus, focus = edited(rows, "add-connector:0")
    assert [c["connector_id"] for c in plus[0].connectors] == ["1", "2"]
    assert focus == "evses.0.connectors.1.standard" and len(rows[0].connectors) == 1
    fewer, focus = edited(rows, "remove-connector:1:0")
    assert fewer[1].connectors == [] and focus == "add-connector:1"
    assert edited(rows, "remove-evse:0")[0] == rows[1:]
    assert edited(rows, "remove-evse:2") == (rows, "") and edited(rows, "add-evse:0") == (rows, "")
    assert edited([], "add-evse")[0][0].connectors[0]["connector_id"] == "1"


def test_refusals_in_words() -> None:
    assert described("evses.1.connectors.0.max_voltage") == (
        "EVSE row 2, connector row 1, Max voltage (V)"
    )
    assert described("evses.0") == "EVSE row 1" and described("model") == "Model"
    assert described("evses") == "Layout" and described("") == "The form"
