"""/api/v1/cdrs: the organization's CDRs (read-only) and credit CDRs that cancel one."""

from fastapi import APIRouter, status

from chargeyard.api.dependencies import Operator, Paging, Reading, Server, Viewer, Writing
from chargeyard.api.limits import IdQuery, Moment
from chargeyard.api.schemas import ListOf, listing
from chargeyard.cdrs.models import Cdr
from chargeyard.cdrs.repository import CdrFilter, CdrRepository
from chargeyard.cdrs.schemas import CdrOut, CreditRequest
from chargeyard.cdrs.service import CdrService

router = APIRouter(prefix="/cdrs", tags=["cdrs"])


@router.get("", response_model=ListOf[CdrOut])
async def list_cdrs(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    transaction_id: IdQuery = None,
    station_id: str | None = None,
    id_tag: str | None = None,
    driver_id: str | None = None,
    credit: bool | None = None,
    since: Moment | None = None,
    until: Moment | None = None,
) -> ListOf[CdrOut]:
    """Newest first. `since`/`until` select by the session's end."""
    where = CdrFilter(transaction_id, station_id, id_tag, driver_id, credit, since, until)
    result = await CdrRepository(uow.session, caller.organization_id).search(where, paging)
    return listing(result, paging, CdrOut)


@router.get("/{cdr_id}", response_model=CdrOut)
async def get_cdr(cdr_id: str, caller: Viewer, uow: Reading) -> Cdr:
    return await CdrRepository(uow.session, caller.organization_id).get(cdr_id)


@router.post("/{cdr_id}/credit", status_code=status.HTTP_201_CREATED, response_model=CdrOut)
async def credit_cdr(
    cdr_id: str, caller: Operator, uow: Writing, ctx: Server, body: CreditRequest | None = None
) -> Cdr:
    """Cancel a CDR with a credit CDR (negated amounts); a driver it was charged to is refunded."""
    service = CdrService(uow, caller.organization_id, ctx.clock)
    credit = await service.credit(
        await service.cdrs.get(cdr_id), None if body is None else body.remark
    )
    await uow.commit()
    return credit
