// A circuit's measured load, the sum of the limits in force and its limit (kW) over time, drawn
// with uPlot as steps (a value holds until the next point), redrawn when the event stream says
// sessions, meter values or accepted limits changed.
"use strict";

(function () {
  const holder = document.getElementById("circuit-plot");
  if (!holder || !window.uPlot) return;
  let plot = null;

  function size() {
    return { width: Math.max(280, holder.clientWidth || 600), height: 300 };
  }

  function highest(values) {
    return values.reduce((top, v) => (v === null || v < top ? top : v), 0);
  }

  async function draw() {
    const response = await fetch(holder.dataset.series);
    if (!response.ok) return;
    const series = await response.json();
    // The last point is "now": extend the steps to it and keep the axis moving.
    const data = [series.time, series.load_kw, series.limits_kw, series.limit_kw];
    const measured = series.load_kw.filter((v) => v > 0).length;
    holder.dataset.points = String(series.time.length);
    holder.dataset.measured = String(measured);
    holder.dataset.maxLoad = String(highest(series.load_kw));
    holder.dataset.maxLimits = String(highest(series.limits_kw));
    const limits = series.limit_kw.filter((v) => v !== null);
    holder.dataset.minLimit = limits.length ? String(Math.min(...limits)) : "";
    document.getElementById("plot-empty").hidden = measured > 0;
    document.getElementById("plot-truncated").hidden = !series.truncated;
    if (plot) {
      plot.setData(data);
      return;
    }
    const steps = uPlot.paths.stepped({ align: 1 });
    plot = new uPlot(
      Object.assign(size(), {
        series: [
          {},
          { label: "Measured load (kW)", stroke: "#0b5cad", fill: "rgba(11,92,173,0.12)", width: 2, paths: steps },
          { label: "Limits in force (kW)", stroke: "#b35900", width: 2, dash: [6, 4], paths: steps },
          { label: "Limit (kW)", stroke: "#a11b1b", width: 2, paths: steps },
        ],
        scales: { y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { label: "kW" }],
      }),
      data,
      holder,
    );
  }

  let pending = null;
  document.addEventListener("chargeyard:event", (event) => {
    const type = event.detail.type;
    if (type === "meter_values.received" || type.startsWith("session.") || type.startsWith("charging_profile.")) {
      clearTimeout(pending);
      pending = setTimeout(draw, 300);
    }
  });
  window.addEventListener("resize", () => plot && plot.setSize(size()));
  draw();
})();
