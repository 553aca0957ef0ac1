"""The most specific translation wins; vendors and models match case-insensitively."""

from chargeyard.error_codes.domain import ANY, Hardware, Severity, Translation, best_match


def entry(model: str = ANY, firmware: str = ANY, code: str = "E-17") -> Translation:
    title = f"{model or 'any'}/{firmware or 'any'}"
    return Translation("Acme", model, firmware, code, title, None, Severity.HIGH, None)


ENTRIES = [entry(), entry(model="W22"), entry(firmware="2.0"), entry("W22", "2.0"), entry(code="X")]


def title(hardware: Hardware, code: str = "E-17") -> str | None:
    found = best_match(hardware, code, ENTRIES)
    return None if found is None else found.title


def test_specificity_order() -> None:
    assert title(Hardware("acme", "w22", "2.0")) == "W22/2.0"
    assert title(Hardware("Acme", "W22", "1.0")) == "W22/any"
    assert title(Hardware("Acme", "W11", "2.0")) == "any/2.0"
    assert title(Hardware("Acme", "W11", None)) == "any/any"


def test_no_match_without_a_vendor_or_for_another_code_or_vendor() -> None:
    assert title(Hardware(None, "W22", "2.0")) is None
    assert title(Hardware("Other", "W22", "2.0")) is None
    assert title(Hardware("Acme", "W22", "2.0"), code="E-18") is None
