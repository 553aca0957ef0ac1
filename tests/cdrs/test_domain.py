"""The credit CDR: the same session with every amount negated."""

from chargeyard.cdrs.domain import credit_document


def test_a_credit_negates_every_amount_and_names_the_original() -> None:
    price = {"excl_vat": "4.00", "incl_vat": "4.80"}
    zero = {"excl_vat": "0.00", "incl_vat": "0.00"}
    original = {
        "id": "A",
        "total_energy": "10.000000",
        "total_cost": price,
        "total_fixed_cost": zero,
        "total_energy_cost": price,
        "total_time_cost": zero,
        "total_parking_cost": zero,
        "credit": False,
        "credit_reference_id": None,
    }
    credit = credit_document("B", original, "meter fault")
    assert (credit["id"], credit["credit"], credit["credit_reference_id"]) == ("B", True, "A")
    assert credit["total_cost"] == {"excl_vat": "-4.00", "incl_vat": "-4.80"}
    assert credit["total_fixed_cost"] == zero  # no "-0.00"
    assert credit["total_energy"] == "10.000000" and credit["remark"] == "meter fault"
    assert original["total_cost"] == price  # the original is untouched
