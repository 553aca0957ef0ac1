"""What a demand-response event asks for. No I/O."""

from enum import StrEnum


class DemandResponseKind(StrEnum):
    CURTAILMENT = "curtailment"
    V2G = "v2g"
