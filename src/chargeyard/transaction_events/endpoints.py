"""/api/v1/transactions/{id}/events: the events a station reported for one transaction."""

from fastapi import APIRouter

from chargeyard.api.dependencies import Paging, Reading, Viewer
from chargeyard.api.limits import Id
from chargeyard.api.schemas import ListOf, listing
from chargeyard.transaction_events.repository import TransactionEventRepository
from chargeyard.transaction_events.schemas import TransactionEventOut
from chargeyard.transactions.repository import TransactionRepository

router = APIRouter(tags=["transactions"])


@router.get("/transactions/{transaction_id}/events", response_model=ListOf[TransactionEventOut])
async def transaction_events(
    transaction_id: Id, caller: Viewer, uow: Reading, paging: Paging
) -> ListOf[TransactionEventOut]:
    """In seq_no order; `applied` is false for events that came after the transaction ended."""
    await TransactionRepository(uow.session, caller.organization_id).get(transaction_id)
    events = TransactionEventRepository(uow.session, caller.organization_id)
    result = await events.of_transaction(transaction_id, paging)
    return listing(result, paging, TransactionEventOut)
