"""Row ids: random version-4 UUIDs written as 32 hex digits, as `uuid.uuid4().hex` writes them."""

import uuid

from chargeyard.storage.base import new_id


def test_new_ids_are_version_4_uuids_in_hex() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert (parsed.version, parsed.variant) == (4, uuid.RFC_4122)
        assert parsed.hex == value and len(value) == 32
