"""Reading OCSP responses: the status of the certificate asked about, never another's."""

import base64
from dataclasses import replace

from chargeyard.certificate_chains.domain import CertificateState, read_ocsp
from tests.certificate_chains.pki import NEXT_UPDATE, Pki


def test_good_and_revoked_answers_are_read_with_their_next_update() -> None:
    pki = Pki.create()
    leaf = pki.issue("station")
    good = read_ocsp(pki.certificate_id(leaf), pki.ocsp_response(leaf))
    revoked = read_ocsp(pki.certificate_id(leaf), pki.ocsp_response(leaf, revoked=True))
    assert (good.state, good.next_update) == (CertificateState.GOOD, NEXT_UPDATE)
    assert revoked.state is CertificateState.REVOKED


def test_an_answer_about_another_certificate_fails() -> None:
    pki = Pki.create()
    leaf, other = pki.issue("station"), pki.issue("other")
    reading = read_ocsp(pki.certificate_id(leaf), pki.ocsp_response(other))
    assert reading.state is CertificateState.FAILED
    assert reading.reason == "OCSP response is for another certificate"
    wrong_issuer = replace(pki.certificate_id(leaf), issuer_key_hash="00" * 32)
    assert read_ocsp(wrong_issuer, pki.ocsp_response(leaf)).state is CertificateState.FAILED


def test_unreadable_and_unsuccessful_answers_fail() -> None:
    pki = Pki.create()
    leaf = pki.issue("station")
    garbage = read_ocsp(pki.certificate_id(leaf), base64.b64encode(b"not der").decode())
    assert (garbage.state, garbage.reason) == (CertificateState.FAILED, "unreadable OCSP response")
    assert read_ocsp(pki.certificate_id(leaf), "%%%").state is CertificateState.FAILED
    # An OCSP "unauthorized" response: SEQUENCE { ENUMERATED 6 }.
    unauthorized = base64.b64encode(bytes([0x30, 0x03, 0x0A, 0x01, 0x06])).decode()
    reading = read_ocsp(pki.certificate_id(leaf), unauthorized)
    assert (reading.state, reading.reason) == (
        CertificateState.FAILED,
        "OCSP responder: UNAUTHORIZED",
    )
