"""A conformance suite named after the OCA test tool's (OCTT) CSMS test cases.

Chargeyard plays no part here: these modules act as the charging station the OCTT simulates,
against any running CSMS reachable over a WebSocket, and check what the CSMS must do in each
case. `case.py` says what a case is, `v16_*.py` and `v201_*.py` hold the cases (named and
titled as in the OCTT test case documents), `link.py` is the station's socket, and
`runner.py` runs a version's cases in order. `chargeyard conformance` (cli/conformance.py) is
the command line; docs/conformance.md lists what is covered.
"""
