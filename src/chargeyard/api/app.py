"""The one ASGI application: REST under /api/v1, docs at /docs, health, OCPP at /ocpp/{id}, and the
web dashboard at / (its assets under /static)."""

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket

from chargeyard import __version__
from chargeyard.alert_notifications.endpoints import router as alert_notifications_router
from chargeyard.alert_notifications.mailer import AlertMailer
from chargeyard.alerts.endpoints import router as alerts_router
from chargeyard.alerts.evaluator import AlertEvaluator
from chargeyard.api import docs, openapi, problems
from chargeyard.api.health import router as health_router
from chargeyard.api.metrics import router as metrics_router
from chargeyard.api.request_limits import RequestLimits
from chargeyard.capacity_windows.endpoints import router as capacity_windows_router
from chargeyard.cdrs.endpoints import router as cdrs_router
from chargeyard.charging_limits.endpoints import router as charging_limits_router
from chargeyard.charging_needs.endpoints import router as charging_needs_router
from chargeyard.charging_profiles.endpoints import router as power_limit_router
from chargeyard.circuits.endpoints import router as circuits_router
from chargeyard.clock import Clock, utcnow
from chargeyard.cluster.leases import LeaseKeeper
from chargeyard.cluster.node import ClusterNode
from chargeyard.commands.endpoints import router as commands_router
from chargeyard.commands.runner import CommandRunner
from chargeyard.costing.cost_message_sender import CostMessageSender
from chargeyard.costing.credit_stop import CreditStop
from chargeyard.costing.running_cost import RunningCostUpdates
from chargeyard.dashboard.firmware import UPLOAD_PATH as FIRMWARE_FORM_PATH
from chargeyard.dashboard.routes import DASHBOARD_ROUTERS, STATIC_DIRECTORY, dashboard_routes
from chargeyard.dashboard.sessions import SessionKeys
from chargeyard.demand_response.endpoints import router as demand_response_router
from chargeyard.device_model.endpoints import router as device_model_router
from chargeyard.drivers.endpoints import router as drivers_router
from chargeyard.energy_costs.endpoints import router as energy_costs_router
from chargeyard.energy_prices.endpoints import router as energy_prices_router
from chargeyard.error_codes.endpoints import router as error_codes_router
from chargeyard.event_streams.endpoints import router as event_streams_router
from chargeyard.events.endpoints import router as events_router
from chargeyard.events.sequencer import EventSequencer
from chargeyard.events.signal import CommitSignal
from chargeyard.evse_wiring.endpoints import router as evse_wiring_router
from chargeyard.external_meters.endpoints import router as external_meters_router
from chargeyard.files.domain import UPLOAD_PATHS
from chargeyard.files.endpoints import router as files_router
from chargeyard.files.station_endpoints import router as station_files_router
from chargeyard.files.transfer import MULTIPART_OVERHEAD
from chargeyard.hardware_templates.endpoints import router as hardware_templates_router
from chargeyard.id_tags.endpoints import router as id_tags_router
from chargeyard.kpis.endpoints import router as kpis_router
from chargeyard.kpis.rollup_job import UtilisationRollup
from chargeyard.load_management.controller import ControllerConfig, SmartChargingController
from chargeyard.load_management.endpoints import router as smart_charging_router
from chargeyard.locations.endpoints import router as locations_router
from chargeyard.maintenance_windows.endpoints import router as maintenance_windows_router
from chargeyard.measurements.endpoints import router as measurements_router
from chargeyard.message_log.endpoints import router as message_log_router
from chargeyard.message_log.writer import MessageLogWriter
from chargeyard.observability.event_log import log_committed_events
from chargeyard.observability.loop_lag import LoopLagMonitor
from chargeyard.observability.metrics import worker_exited
from chargeyard.organizations.endpoints import (
    organization_router,
    tokens_router,
    users_router,
)
from chargeyard.permissions.endpoints import router as permissions_router
from chargeyard.planned_routes.endpoints import router as planned_routes_router
from chargeyard.protocol.context import ServerContext
from chargeyard.protocol.dispatch import LocalDispatcher
from chargeyard.protocol.handshake_slots import SLOTS_STATE
from chargeyard.protocol.registry import ConnectionRegistry
from chargeyard.protocol.server import OcppEndpoint
from chargeyard.protocol.station_route import station_in
from chargeyard.reconciliation.endpoints import router as reconciliation_router
from chargeyard.reconciliation.job import AutoReconciliation
from chargeyard.reports.builder import ReportBuilder
from chargeyard.reports.endpoints import router as reports_router
from chargeyard.reservations.endpoints import router as reservations_router
from chargeyard.reservations.expiry import ReservationExpiry
from chargeyard.retention.endpoints import router as retention_router
from chargeyard.retention.job import RetentionJob
from chargeyard.security.sealing import Sealer
from chargeyard.security.secret_key import secret_key
from chargeyard.security.sign_in_guard import SignInGuard
from chargeyard.security_events.endpoints import router as security_events_router
from chargeyard.session_needs.endpoints import router as session_needs_router
from chargeyard.settings import Settings
from chargeyard.settlements.endpoints import router as settlements_router
from chargeyard.station_reports.endpoints import router as station_reports_router
from chargeyard.stations.endpoints import router as stations_router
from chargeyard.stations.layout_endpoints import router as layout_router
from chargeyard.stations.service import disconnect_holders
from chargeyard.storage.database import Database
from chargeyard.subscriptions.endpoints import router as subscriptions_router
from chargeyard.subscriptions.renewal import SubscriptionRenewal
from chargeyard.tag_groups.endpoints import router as tag_groups_router
from chargeyard.tariff_groups.endpoints import router as tariff_groups_router
from chargeyard.tariffs.endpoints import router as tariffs_router
from chargeyard.tariffs.station_defaults import DefaultTariffSync
from chargeyard.telematics.endpoints import router as telematics_router
from chargeyard.timeseries.endpoints import router as timeseries_router
from chargeyard.transaction_events.endpoints import router as transaction_events_router
from chargeyard.transactions.endpoints import router as transactions_router
from chargeyard.vehicle_groups.endpoints import router as vehicle_groups_router
from chargeyard.vehicles.endpoints import router as vehicles_router
from chargeyard.vouchers.endpoints import router as vouchers_router
from chargeyard.webhooks.dispatcher import WebhookDispatcher
from chargeyard.webhooks.endpoints import router as webhooks_router
from chargeyard.webhooks.service import seal_clear_secrets

API_ROUTERS = (
    stations_router,
    layout_router,
    hardware_templates_router,
    id_tags_router,
    tag_groups_router,
    permissions_router,
    transactions_router,
    locations_router,
    organization_router,
    users_router,
    tokens_router,
    message_log_router,
    security_events_router,
    events_router,
    webhooks_router,
    commands_router,
    power_limit_router,
    reservations_router,
    device_model_router,
    station_reports_router,
    charging_needs_router,
    charging_limits_router,
    transaction_events_router,
    circuits_router,
    capacity_windows_router,
    measurements_router,
    smart_charging_router,
    evse_wiring_router,
    vehicles_router,
    session_needs_router,
    energy_prices_router,
    demand_response_router,
    vehicle_groups_router,
    telematics_router,
    planned_routes_router,
    external_meters_router,
    event_streams_router,
    settlements_router,
    retention_router,
    files_router,
    alerts_router,
    alert_notifications_router,
    reconciliation_router,
    error_codes_router,
    kpis_router,
    reports_router,
    timeseries_router,
    maintenance_windows_router,
    tariffs_router,
    tariff_groups_router,
    cdrs_router,
    energy_costs_router,
    drivers_router,
    vouchers_router,
    subscriptions_router,
)


class ChargeyardApp(FastAPI):
    """The application, whose entry hands a station's OCPP WebSocket to its endpoint before
    Starlette's middleware stack and router (`protocol/station_route.py` says why: a handshake
    searched every REST route, and each layer stayed on every connection's stack)."""

    station_endpoint: OcppEndpoint | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = self.station_endpoint
        station_id = station_in(scope) if endpoint is not None else None
        if endpoint is not None and station_id is not None:
            scope["app"] = self
            scope["path_params"] = {"station_id": station_id}
            await endpoint(WebSocket(scope, receive, send))
            return
        await super().__call__(scope, receive, send)


def create_app(settings: Settings, clock: Clock = utcnow) -> ChargeyardApp:
    db = Database(settings.database_url, clock)
    message_log = MessageLogWriter(db, clock, settings.message_log_flush_s)
    key = secret_key(settings)
    ctx = ServerContext(
        settings=settings,
        db=db,
        clock=clock,
        message_log=message_log,
        secret_key=key,
        sign_in=SignInGuard(settings),
    )
    registry = ConnectionRegistry()
    event_signal = CommitSignal()
    db.commit_listeners.append(event_signal)
    db.commit_listeners.append(log_committed_events)
    cluster = ClusterNode(settings, db, clock)
    leases = LeaseKeeper(db, cluster.worker_id, settings.cluster_lease_ttl_s)
    webhooks = WebhookDispatcher(db, settings, clock, leases, Sealer(key))
    dispatcher = cluster.dispatcher(
        LocalDispatcher(registry), lambda station_id: registry.get(station_id) is not None
    )
    commands = CommandRunner(ctx, dispatcher)
    credit_stop = CreditStop(dispatcher, settings.call_timeout_s)
    db.commit_listeners.append(credit_stop)
    running_cost = RunningCostUpdates(
        db, dispatcher, settings.cost_updated_interval_s, settings.call_timeout_s
    )
    db.commit_listeners.append(running_cost)
    cost_messages = CostMessageSender(
        db, dispatcher, clock, settings.cost_updated_interval_s, settings.call_timeout_s
    )
    db.commit_listeners.append(cost_messages)
    default_tariffs = DefaultTariffSync(db, commands, settings.call_timeout_s)
    db.commit_listeners.append(default_tariffs)
    db.commit_listeners.append(ctx.tariff_takers)
    smart_charging = SmartChargingController(
        db,
        dispatcher,
        clock,
        leases,
        ControllerConfig(
            period_s=settings.smart_charging_period_s,
            deviation_kw=settings.smart_charging_deviation_kw,
            check_period_s=settings.smart_charging_check_period_s,
            constraints_read_period_s=settings.smart_charging_constraints_read_period_s,
            call_timeout_s=settings.call_timeout_s,
            poll_s=settings.events_poll_s,
            resend_step_kw=settings.smart_charging_resend_step_kw,
        ),
    )
    reservation_expiry = ReservationExpiry(db, clock, leases)
    subscription_renewal = SubscriptionRenewal(db, clock, leases)
    retention = RetentionJob(db, clock, leases, settings)
    utilisation_rollup = UtilisationRollup(
        db, clock, leases, settings.kpis_rollup_s, settings.kpis_rollup_days
    )
    reports = ReportBuilder(db, clock, leases, settings.events_poll_s)
    alerts = AlertEvaluator(db, clock, leases, settings.events_poll_s, settings.alerts_sweep_s)
    loop_lag = LoopLagMonitor()
    alert_mailer = AlertMailer(db, clock, leases, settings)
    reconciliation = AutoReconciliation(
        db, clock, leases, commands, settings.alerts_sweep_s, settings.call_timeout_s
    )

    def on_sequenced() -> None:
        event_signal.fire()
        webhooks.wakeup.fire()
        alerts.wakeup.fire()

    sequencer = EventSequencer(db, leases, settings.events_poll_s, on_sequenced)

    def on_remote_events() -> None:
        """What a cluster bus calls when another node committed or sequenced events: wake this
        node's sequencer, event streams and webhook dispatcher now rather than at their next
        poll."""
        sequencer.wakeup.fire()
        on_sequenced()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        async with db.writing() as uow:
            if await seal_clear_secrets(uow, Sealer(key)):
                await uow.commit()
        await cluster.start()
        loop_lag.start()
        message_log.start()
        leases.start()
        sequencer.start()
        webhooks.start()
        reservation_expiry.start()
        subscription_renewal.start()
        retention.start()
        utilisation_rollup.start()
        reports.start()
        alerts.start()
        alert_mailer.start()
        reconciliation.start()
        smart_charging.start()
        _app.state.ready = True
        try:
            # The lifespan state reaches every connection's protocol: the HTTP protocol sheds
            # a handshake the endpoint would shed, before the WebSocket layer is built
            # (`protocol/connections.py`).
            yield {SLOTS_STATE: ocpp.slots}
        finally:
            _app.state.ready = False
            # Sessions closed by the shutdown left their stations to this one write.
            async with db.writing() as uow:
                await disconnect_holders(uow, [cluster.worker_id], clock)
                await uow.commit()
            await smart_charging.stop()
            await reservation_expiry.stop()
            await subscription_renewal.stop()
            await retention.stop()
            await utilisation_rollup.stop()
            await reports.stop()
            await alerts.stop()
            await alert_mailer.stop()
            await reconciliation.stop()
            await commands.stop()
            await credit_stop.stop()
            await running_cost.stop()
            await cost_messages.stop()
            await default_tariffs.stop()
            await webhooks.stop()
            await sequencer.stop()
            await leases.stop()
            await cluster.stop()
            await message_log.stop()
            await loop_lag.stop()
            await db.dispose()
            worker_exited(os.getpid())  # its live gauges (connected stations) stop counting

    app = ChargeyardApp(
        title="Chargeyard",
        version=__version__,
        description="Open-source EV charging platform: OCPP central system and REST API.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.openapi = openapi.document(app)  # type: ignore[method-assign]
    app.state.ctx = ctx
    app.state.ready = False  # /health/ready: true between the end of startup and shutdown
    app.state.registry = registry
    app.state.cluster = cluster
    app.state.event_signal = event_signal
    app.state.webhook_dispatcher = webhooks
    app.state.leases = leases
    app.state.on_remote_events = on_remote_events
    app.state.commands = commands
    app.state.default_tariffs = default_tariffs
    app.state.drop_station = cluster.presence.drop
    app.state.smart_charging = smart_charging
    app.state.retention = retention
    app.state.utilisation_rollup = utilisation_rollup
    app.state.reports = reports
    app.state.dashboard_keys = SessionKeys(secret_key(settings))
    app.state.dashboard_routes = dashboard_routes()
    app.state.alerts = alerts
    app.state.alert_mailer = alert_mailer
    problems.install(app)
    app.add_middleware(
        RequestLimits,
        max_body_bytes=settings.api_max_body_bytes,
        upload_paths=(*UPLOAD_PATHS, FIRMWARE_FORM_PATH),
        max_upload_bytes=settings.files_max_bytes + MULTIPART_OVERHEAD,
    )
    api = APIRouter(prefix="/api/v1")
    for router in API_ROUTERS:
        api.include_router(router)
    app.include_router(api)
    app.include_router(station_files_router)
    app.include_router(health_router)
    app.include_router(metrics_router)
    docs.install(app)
    ocpp = OcppEndpoint(ctx, registry, cluster.presence)
    app.add_api_websocket_route("/ocpp/{station_id}", ocpp)
    for router in DASHBOARD_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIRECTORY), name="static")
    app.station_endpoint = ocpp  # ahead of every middleware and route: see ChargeyardApp
    return app


def app_from_environment() -> FastAPI:
    """The app of one worker process of `chargeyard serve --workers N` (uvicorn's factory):
    each worker reads the same `CHARGEYARD_*` settings and gets its own worker id."""
    settings = Settings()
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=settings.log_level.upper(),
            format="%(asctime)s %(levelname)s %(process)d %(name)s: %(message)s",
        )
    return create_app(settings)
