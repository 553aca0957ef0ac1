// Chargeyard dashboard: progressive enhancement of server-rendered pages. Without this script
// every page still works (forms post and answer with a page); with it, pages follow the event
// stream live, times show in the browser's zone, and commands answer in place.
"use strict";

const LIVE_TYPES = [
  "connector.status_changed", "station.connected", "station.disconnected", "station.booted",
  "station.registered", "station.updated", "session.started", "session.updated",
  "session.stopped", "meter_values.received", "command.answered", "command.failed",
  "charging_profile.delivered", "charging_profile.rejected",
  "alert.triggered", "alert.acknowledged", "alert.resolved",
  "report.ready", "report.failed",
];

function localTimes(root) {
  for (const el of root.querySelectorAll("time[datetime]")) {
    const at = new Date(el.getAttribute("datetime"));
    if (!isNaN(at)) {
      el.textContent = at.toLocaleString();
      el.title = el.getAttribute("datetime");
    }
  }
}

// A status as the pages show it: Chargeyard's (2.0.1) word, and the station's own when it differs.
function statusBadge(value, ocpp) {
  const span = document.createElement("span");
  const text = value || "Unknown";
  span.className = "status status-" + text.toLowerCase();
  span.textContent = text;
  if (!ocpp || ocpp === text) return [span];
  const small = document.createElement("small");
  small.className = "ocpp-status";
  small.textContent = ocpp;
  return [span, " ", small];
}

// Replace the elements with these ids (one id or a list) by their fresh copies from the
// server's page, fetched once.
async function refresh(ids, url) {
  const response = await fetch(url || location.href, { headers: { Accept: "text/html" } });
  if (!response.ok) return;
  const text = await response.text();
  const fresh = new DOMParser().parseFromString(text, "text/html");
  for (const id of [].concat(ids)) {
    const next = fresh.getElementById(id);
    const current = document.getElementById(id);
    if (next && current) {
      current.replaceWith(next);
      localTimes(next);
      enhanceForms(next);
    }
  }
}

function debounced(fn, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(fn, ms);
  };
}

function onStatus(data) {
  if (data.evse_id === null || data.evse_id === undefined) return false;
  const key = `${data.station_id}/${data.evse_id}/${data.connector_id || 1}`;
  const cells = document.querySelectorAll(`[data-connector-status="${CSS.escape(key)}"]`);
  for (const cell of cells) cell.replaceChildren(...statusBadge(data.status, data.ocpp_status));
  for (const cell of document.querySelectorAll(`[data-connector-since="${CSS.escape(key)}"]`)) {
    const time = document.createElement("time");
    time.setAttribute("datetime", data.timestamp);
    cell.replaceChildren(time);
    localTimes(cell);
  }
  return cells.length > 0;
}

function onConnectivity(stationId, online) {
  for (const el of document.querySelectorAll(`[data-station-conn="${CSS.escape(stationId)}"]`)) {
    el.textContent = online ? "Online" : "Offline";
    el.className = "conn " + (online ? "conn-on" : "conn-off");
  }
}

function live() {
  const page = document.querySelector("[data-live-page]");
  if (!page || !window.EventSource) return;
  const kind = page.dataset.livePage;
  const params = new URLSearchParams();
  if (page.dataset.stationId) params.set("station_id", page.dataset.stationId);
  if (page.dataset.transactionId) params.set("transaction_id", page.dataset.transactionId);
  const source = new EventSource("/live/events?" + params.toString());
  const refreshConnectors = debounced(() => refresh("connectors"), 300);
  const refreshSessions = debounced(() => refresh(kind === "sessions" ? "sessions-rows" : "station-sessions"), 500);
  const refreshFacts = debounced(() => refresh("session-facts"), 500);
  const refreshAlerts = debounced(() => refresh("alerts-rows"), 500);
  const refreshReports = debounced(() => refresh(kind === "report" ? "report-facts" : "reports-rows"), 300);
  const refreshCircuit = debounced(() => refresh(["circuit-facts", "circuit-sessions", "circuit-profiles"]), 500);
  const refreshFigures = debounced(async () => {
    for (const el of document.querySelectorAll("[data-live-src]")) {
      const response = await fetch(el.dataset.liveSrc);
      if (response.ok) el.innerHTML = await response.text();
    }
  }, 500);
  const handle = (type, data) => {
    if (type === "connector.status_changed" && !onStatus(data) && kind === "station") refreshConnectors();
    if (type === "station.connected" || type === "station.disconnected") {
      onConnectivity(data.station_id, type === "station.connected");
    }
    if (type.startsWith("session.") && (kind === "station" || kind === "sessions")) refreshSessions();
    if (kind === "overview") refreshFigures();
    if (kind === "session" && (type.startsWith("session.") || type.startsWith("meter_values."))) {
      refreshFacts();
    }
    if (kind === "alerts" && type.startsWith("alert.")) refreshAlerts();
    if ((kind === "reports" || kind === "report") && type.startsWith("report.")) refreshReports();
    if (kind === "circuit" && !type.startsWith("connector.") && !type.startsWith("command.")) {
      refreshCircuit();
    }
    document.dispatchEvent(new CustomEvent("chargeyard:event", { detail: { type, data } }));
  };
  for (const type of LIVE_TYPES) {
    source.addEventListener(type, (message) => {
      const envelope = JSON.parse(message.data);
      handle(type, Object.assign({ station_id: envelope.station_id }, envelope.data));
    });
  }
  source.addEventListener("open", () => {
    document.body.setAttribute("data-live", "open");
    // A report may have finished between the page's rendering and the stream's start.
    if (kind === "report") refreshReports();
  });
  source.addEventListener("error", () => document.body.setAttribute("data-live", "reconnecting"));
}

// Command forms answer in place: "waiting" while the station thinks, then its answer.
function enhanceForms(root) {
  for (const form of root.querySelectorAll("form[data-command]")) {
    if (form.dataset.enhanced) continue;
    form.dataset.enhanced = "1";
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const out = document.getElementById("command-result");
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      button.setAttribute("aria-busy", "true");
      out.innerHTML = '<div class="result waiting" role="status">Waiting for the station…</div>';
      try {
        const response = await fetch(form.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(form)),
          headers: { "X-Dashboard-Fragment": "1" },
        });
        out.innerHTML = await response.text();
        enhanceForms(out); // an answer may hold forms of its own (a listed certificate's delete)
        if (response.status === 401) location.reload();
        // A reservation made or cancelled shows in the page's list.
        if (document.getElementById("station-reservations")) refresh("station-reservations");
      } catch (error) {
        out.innerHTML = '<div class="result failed" role="alert">The dashboard could not be reached.</div>';
      } finally {
        button.disabled = false;
        button.removeAttribute("aria-busy");
      }
    });
  }
}

// A page that answers a form with a secret on it (a new token, a webhook's signing secret) names
// its plain address: reloading it then fetches that address instead of sending the form again
// (which would issue another secret).
function forgetForm() {
  const page = document.querySelector("[data-plain-url]");
  if (page && window.history) history.replaceState(null, "", page.dataset.plainUrl);
}

// A form's datetime-local fields hold the browser's local time: they are sent as UTC instants
// (ISO 8601), so the server never guesses the zone. Only what is sent changes (the form stays
// as the user filled it, e.g. after a download). Without the script they go as they are.
// A refused form comes back with each time as sent, in UTC (`data-instant`): shown again in
// the browser's time.
function sendLocalTimes(root) {
  for (const input of root.querySelectorAll("input[type=datetime-local][data-instant]")) {
    const at = new Date(input.dataset.instant);
    if (isNaN(at)) continue;
    const local = new Date(at.getTime() - at.getTimezoneOffset() * 60000);
    input.value = local.toISOString().slice(0, 16);
  }
  for (const form of root.querySelectorAll("form[data-local-times]")) {
    form.addEventListener("formdata", (event) => {
      for (const input of form.querySelectorAll("input[type=datetime-local]")) {
        const at = new Date(input.value);
        if (input.value && !isNaN(at)) event.formData.set(input.name, at.toISOString());
      }
    });
  }
}

// A file chooser beside a text field (hidden without the script): the chosen file's text goes
// into the field, so the form sends it as if pasted, and what it holds can be read first.
function filesIntoFields(root) {
  for (const field of root.querySelectorAll("[data-file-into]")) {
    const target = document.getElementById(field.dataset.fileInto);
    const input = field.querySelector("input[type=file]");
    if (!target || !input) continue;
    field.hidden = false;
    input.addEventListener("change", async () => {
      if (input.files.length) target.value = await input.files[0].text();
    });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  forgetForm();
  filesIntoFields(document);
  sendLocalTimes(document);
  localTimes(document);
  enhanceForms(document);
  live();
});
