"""The one shape of the dashboard's list-and-form pages: a list read a page at a time, and forms
that an operator (or whoever the REST endpoint lets act) sends, checked by the REST body model,
carried out in one unit of work and answered with a redirect back to the page.

Each page keeps only what is its own (which service, which rule); the role check, the body
model's field picking, the commit and the 303 live here once, so a new page cannot forget one.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse
from pydantic import BaseModel

from chargeyard.api.dependencies import Lockable, R, check_role
from chargeyard.dashboard.auth import SignedIn
from chargeyard.dashboard.endpoints import PAGE_SIZE
from chargeyard.dashboard.forms import utc_instant, validated
from chargeyard.errors import (
    ChargeyardError,
    Conflict,
    Invalid,
    NotFound,
    PreconditionFailed,
)
from chargeyard.organizations.domain import Principal, Role
from chargeyard.server_context import ServerContext
from chargeyard.site_scopes.scope import site_scope_of
from chargeyard.site_scopes.service import check_whole_organization
from chargeyard.storage.repository import Page
from chargeyard.storage.unit_of_work import UnitOfWork

M = TypeVar("M", bound=BaseModel)


def page_slice(page: int) -> Page:
    """The rows of list page `page` (from 1)."""
    return Page((page - 1) * PAGE_SIZE, PAGE_SIZE)


def paging(total: int, page: int) -> dict[str, Any]:
    """What a list template's pager reads: how many rows, this page, how many pages."""
    return {"total": total, "page": page, "pages": max(1, -(-total // PAGE_SIZE))}


ROW_REFUSALS = (Invalid, Conflict, PreconditionFailed, NotFound)
"""What a row button's service may refuse: a rule (422), the row in use (409), changed (412) or
gone (404: the page it comes back on says so again if the page's own row is gone)."""


async def refused_on_page(
    request: Request,
    refusal: ChargeyardError,
    page: Callable[[], Awaitable[Response]],
    **shown: object,
) -> Response:
    """A refused form on a page that has several: the page it was sent from (`page`, its GET
    handler's answer) with the refusal's status, as the REST API answers it. `shown` replaces
    what the page's context holds under those names (`edit_form=`: the refused edit form as
    sent, each refusal beside its field, in place of the row's values); without it (a row
    button) the refusal is said in the banner above the page. `rendering.render` applies it."""
    request.state.shown = shown or {"refusal": refusal.detail}
    answer = await page()
    answer.status_code = refusal.status
    return answer


def see_other(path: str) -> Response:
    """The answer to a form that worked: the browser loads `path` afresh (no resubmission)."""
    return RedirectResponse(path, status.HTTP_303_SEE_OTHER)


@dataclass(frozen=True)
class FormSender:
    """Who sent a form, allowed to, and what it holds."""

    caller: Principal
    fields: Mapping[str, str]

    @property
    def organization_id(self) -> str:
        return self.caller.organization_id

    def body(self, model: type[M], **overrides: object) -> M:
        """The REST body `model` from the fields it names (stripped of surrounding blanks),
        with `overrides` for fields a form spells differently; a broken rule is 422."""
        sent: dict[str, object] = {
            k: v.strip() for k, v in self.fields.items() if k in model.model_fields
        }
        return validated(model, sent | overrides)

    def local_times(self, *names: str) -> dict[str, str]:
        """The time fields `names` as UTC instants (`forms.utc_instant`: the script sends the
        browser's local time as an instant; a bare value is read as UTC), as `body` overrides."""
        return {name: utc_instant(self.fields.get(name, "").strip()) for name in names}

    @asynccontextmanager
    async def writing(self, ctx: ServerContext) -> AsyncIterator[UnitOfWork]:
        """A unit of work committed when the block ends without an error; an error (a 4xx
        rule of the service) rolls it back and comes back on the page the form was sent from
        (`sent_from`), unless the route answers it itself."""
        async with ctx.db.writing() as uow:
            yield uow
            await uow.commit()


async def as_shown(rows: Lockable[R], key: Any, fields: Mapping[str, str], what: str) -> R:
    """The row an edit form changes, locked and read afresh (`ScopedRepository.locked`), if it
    is still at the revision the page showed (412 otherwise): the forms' `to_change`, so of two
    forms sent from pages showing one revision, the second waits for the first and is refused."""
    row = await rows.locked(key)
    if fields.get("revision") != str(row.revision):
        raise PreconditionFailed(f"the {what} changed since this page was loaded; reload it")
    return row


def form_sender(acting: tuple[SignedIn, dict[str, str]], role: Role = Role.OPERATOR) -> FormSender:
    """The sender of a form that needs `role`, as the REST endpoint does: 403 below it."""
    signed_in, fields = acting
    return FormSender(check_role(signed_in.principal, role), fields)


def organization_sender(acting: tuple[SignedIn, dict[str, str]]) -> FormSender:
    """The sender of a form the REST API keeps for `OrganizationOperator`: an operator of the
    whole organization (403 below it and for a site-confined one, docs/access.md)."""
    sender = form_sender(acting)
    check_whole_organization(sender.caller)
    return sender


def may_edit_organization(context: dict[str, Any], caller: SignedIn) -> bool:
    """Whether a page offers the forms `organization_sender` takes: to an operator (`context`
    is the page's `base_context`) who is not confined to sites."""
    return bool(context["may_act"]) and site_scope_of(caller.principal.organization_id) is None
