"""/api/v1/drivers: drivers, their ID tags, and their money (top-ups, fees, the ledger)."""

from fastapi import APIRouter, Request, Response, status

from chargeyard.api.dependencies import (
    Admin,
    Operator,
    Paging,
    Reading,
    Server,
    UpdatedSince,
    Viewer,
    Writing,
    set_etag,
    to_change,
)
from chargeyard.api.schemas import ListOf, listing
from chargeyard.drivers.domain import EntryKind
from chargeyard.drivers.models import Driver, LedgerEntry
from chargeyard.drivers.repository import DriverRepository
from chargeyard.drivers.schemas import (
    Adjustment,
    DriverCreate,
    DriverOut,
    DriverPatch,
    Fee,
    LedgerEntryOut,
    TagLink,
    TopUp,
)
from chargeyard.drivers.service import Booking, DriverDraft, DriverService
from chargeyard.storage.unit_of_work import UnitOfWork

router = APIRouter(prefix="/drivers", tags=["drivers"])


async def _out(uow: UnitOfWork, organization_id: str, drivers: list[Driver]) -> list[DriverOut]:
    repository = DriverRepository(uow.session, organization_id)
    ids = [d.id for d in drivers]
    balances, tags = await repository.balances(ids), await repository.tags(ids)
    return [
        DriverOut.model_validate(
            {
                **{name: getattr(d, name) for name in _FIELDS},
                "balance": balances[d.id],
                "id_tags": tags[d.id],
            }
        )
        for d in drivers
    ]


_FIELDS = ("id", "name", "email", "status", "payment_mode", "currency", "created_at", "updated_at")


@router.get("", response_model=ListOf[DriverOut])
async def list_drivers(
    caller: Viewer,
    uow: Reading,
    paging: Paging,
    updated_since: UpdatedSince = None,
    status: str | None = None,
    email: str | None = None,
) -> ListOf[DriverOut]:
    result = await DriverRepository(uow.session, caller.organization_id).search(
        paging, status=status, email=email, updated_since=updated_since
    )
    items = await _out(uow, caller.organization_id, list(result.items))
    return ListOf[DriverOut](
        items=items, total=result.total, offset=paging.offset, limit=paging.limit
    )


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DriverOut)
async def create_driver(
    body: DriverCreate, caller: Operator, uow: Writing, ctx: Server, response: Response
) -> DriverOut:
    fields = body.model_dump()
    fields["id_tags"] = tuple(fields["id_tags"])
    driver = await DriverService(uow, caller.organization_id, ctx.clock).create(
        DriverDraft(**fields)
    )
    await uow.commit()
    set_etag(response, driver.id, driver.revision)
    response.headers["Location"] = f"/api/v1/drivers/{driver.id}"
    return (await _out(uow, caller.organization_id, [driver]))[0]


@router.get("/{driver_id}", response_model=DriverOut)
async def get_driver(driver_id: str, caller: Viewer, uow: Reading, response: Response) -> DriverOut:
    driver = await DriverRepository(uow.session, caller.organization_id).get(driver_id)
    set_etag(response, driver.id, driver.revision)
    return (await _out(uow, caller.organization_id, [driver]))[0]


@router.patch("/{driver_id}", response_model=DriverOut)
async def update_driver(
    driver_id: str,
    body: DriverPatch,
    caller: Operator,
    uow: Writing,
    ctx: Server,
    request: Request,
    response: Response,
) -> DriverOut:
    service = DriverService(uow, caller.organization_id, ctx.clock)
    driver = await to_change(service.drivers, driver_id, request)
    await service.update(driver, body.model_dump(exclude_unset=True))
    await uow.commit()
    set_etag(response, driver.id, driver.revision)
    return (await _out(uow, caller.organization_id, [driver]))[0]


@router.delete("/{driver_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_driver(
    driver_id: str, caller: Operator, uow: Writing, ctx: Server, request: Request
) -> None:
    service = DriverService(uow, caller.organization_id, ctx.clock)
    await service.delete(await to_change(service.drivers, driver_id, request))
    await uow.commit()


@router.post("/{driver_id}/id-tags", response_model=DriverOut)
async def link_tag(
    driver_id: str, body: TagLink, caller: Operator, uow: Writing, ctx: Server
) -> DriverOut:
    service = DriverService(uow, caller.organization_id, ctx.clock)
    driver = await service.drivers.get(driver_id)
    await service.link_tag(driver, body.id_tag)
    await uow.commit()
    return (await _out(uow, caller.organization_id, [driver]))[0]


@router.delete("/{driver_id}/id-tags/{value}", status_code=status.HTTP_204_NO_CONTENT)
async def unlink_tag(
    driver_id: str, value: str, caller: Operator, uow: Writing, ctx: Server
) -> None:
    service = DriverService(uow, caller.organization_id, ctx.clock)
    await service.unlink_tag(await service.drivers.get(driver_id), value)
    await uow.commit()


@router.post(
    "/{driver_id}/balance", status_code=status.HTTP_201_CREATED, response_model=LedgerEntryOut
)
async def top_up(
    driver_id: str, body: TopUp, caller: Operator, uow: Writing, ctx: Server
) -> LedgerEntry:
    """Add balance: the operator records a payment (the manual payment provider)."""
    service = DriverService(uow, caller.organization_id, ctx.clock)
    driver = await service.drivers.get(driver_id)
    entry = await service.top_up(driver, body.amount, body.currency, body.reference)
    await uow.commit()
    return entry


@router.post(
    "/{driver_id}/fees", status_code=status.HTTP_201_CREATED, response_model=LedgerEntryOut
)
async def charge_fee(
    driver_id: str, body: Fee, caller: Operator, uow: Writing, ctx: Server
) -> LedgerEntry:
    service = DriverService(uow, caller.organization_id, ctx.clock)
    driver = await service.drivers.get(driver_id)
    entry = await service.book(
        driver, Booking(EntryKind.FEE, body.amount, body.currency, body.description)
    )
    await uow.commit()
    return entry


@router.post(
    "/{driver_id}/ledger", status_code=status.HTTP_201_CREATED, response_model=LedgerEntryOut
)
async def adjust(
    driver_id: str, body: Adjustment, caller: Admin, uow: Writing, ctx: Server
) -> LedgerEntry:
    """A refund or a correction: how a wrong entry is undone (entries are never edited)."""
    service = DriverService(uow, caller.organization_id, ctx.clock)
    driver = await service.drivers.get(driver_id)
    entry = await service.book(
        driver, Booking(EntryKind(body.kind), body.amount, body.currency, body.description)
    )
    await uow.commit()
    return entry


@router.get("/{driver_id}/ledger", response_model=ListOf[LedgerEntryOut])
async def ledger(
    driver_id: str, caller: Viewer, uow: Reading, paging: Paging, kind: str | None = None
) -> ListOf[LedgerEntryOut]:
    """The driver's entries, newest first."""
    drivers = DriverRepository(uow.session, caller.organization_id)
    await drivers.get(driver_id)
    return listing(await drivers.ledger(driver_id, paging, kind=kind), paging, LedgerEntryOut)
