"""A run as JUnit XML, the format CI systems show test results in: one testcase per OCTT
case, a failure element for a fail and a skipped element for a case not applicable."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from chargeyard.conformance.case import Result, Verdict


def junit_xml(results: Sequence[Result], suite_name: str) -> str:
    failures = sum(r.verdict is Verdict.FAIL for r in results)
    skipped = sum(r.verdict is Verdict.NOT_APPLICABLE for r in results)
    suite = ET.Element(
        "testsuite",
        name=suite_name,
        tests=str(len(results)),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        time=f"{sum(r.duration_s for r in results):.3f}",
    )
    for result in results:
        testcase = ET.SubElement(
            suite,
            "testcase",
            classname=suite_name,
            name=f"{result.case.id} {result.case.title}",
            time=f"{result.duration_s:.3f}",
        )
        if result.verdict is Verdict.FAIL:
            ET.SubElement(testcase, "failure", message=result.reason).text = result.reason
        elif result.verdict is Verdict.NOT_APPLICABLE:
            ET.SubElement(testcase, "skipped", message=result.reason)
        elif result.reason:
            ET.SubElement(testcase, "system-out").text = result.reason
    suites = ET.Element("testsuites")
    suites.append(suite)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def write_junit(path: Path, results: Sequence[Result], suite_name: str) -> None:
    path.write_text(junit_xml(results, suite_name), encoding="utf-8")
