"""Upload windows, download links and file names: the rules, without a server."""

from datetime import UTC, datetime, timedelta

import pytest

from chargeyard.errors import NotFound
from chargeyard.files.domain import FileStatus, LinkUse, UploadWindow, safe_filename

NOW = datetime(2026, 12, 5, 12, tzinfo=UTC)


def test_an_upload_url_takes_one_upload_before_it_expires() -> None:
    UploadWindow(FileStatus.AWAITING_UPLOAD, NOW + timedelta(seconds=1)).check(NOW)
    with pytest.raises(NotFound):
        UploadWindow(FileStatus.AWAITING_UPLOAD, NOW).check(NOW)
    with pytest.raises(NotFound):
        UploadWindow(FileStatus.STORED, NOW + timedelta(days=1)).check(NOW)


def test_a_link_serves_until_it_expires_or_is_used_up() -> None:
    LinkUse(NOW + timedelta(hours=1), None, 10_000).check(NOW)
    LinkUse(NOW + timedelta(hours=1), 2, 1).check(NOW)
    with pytest.raises(NotFound):
        LinkUse(NOW + timedelta(hours=1), 2, 2).check(NOW)
    with pytest.raises(NotFound):
        LinkUse(NOW, None, 0).check(NOW)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("diag.zip", "diag.zip"),
        ("C:\\logs\\a.log", "a.log"),
        ("../../x.tgz", "x.tgz"),
        ('a"b;c%.txt', "abc.txt"),
        ("😀.log", ".log"),
        ("", "fallback"),
        (None, "fallback"),
        ("/", "fallback"),
    ],
)
def test_a_given_file_name_is_made_header_safe(given: str | None, kept: str) -> None:
    assert safe_filename(given, "fallback") == kept
