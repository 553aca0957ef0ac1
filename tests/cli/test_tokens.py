"""`chargeyard tokens create`: says which database the token is in, and a mistyped organization
fails naming the ones that exist instead of starting an empty organization."""

import os
import subprocess
import sys
from pathlib import Path


def tokens_create(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHARGEYARD_")}
    return subprocess.run(
        [sys.executable, "-m", "chargeyard", "tokens", "create", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_database_is_named_and_a_mistyped_organization_fails(tmp_path: Path) -> None:
    first = tokens_create(tmp_path, "--organization", "demo")
    assert first.returncode == 0, first.stderr
    database = tmp_path.resolve() / "chargeyard.db"
    assert f"SQLite file {database} (created now)" in first.stderr
    assert first.stdout.strip().splitlines()[-1].startswith("cy_")  # still the last line

    again = tokens_create(tmp_path, "--organization", "demo", "--role", "viewer")
    assert again.returncode == 0, again.stderr
    assert f"SQLite file {database}" in again.stderr and "created now" not in again.stderr

    typo = tokens_create(tmp_path, "--organization", "dmeo")
    assert typo.returncode == 1
    assert "no organization named 'dmeo'" in typo.stderr and "'demo'" in typo.stderr
    assert "--create-organization" in typo.stderr
    assert "cy_" not in typo.stdout

    other = tokens_create(tmp_path, "--organization", "second", "--create-organization")
    assert other.returncode == 0, other.stderr
