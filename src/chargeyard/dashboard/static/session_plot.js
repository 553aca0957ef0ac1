// A session's power (kW) and energy (kWh) over time, drawn with uPlot and redrawn whenever the
// event stream says new meter values arrived.
"use strict";

(function () {
  const holder = document.getElementById("session-plot");
  if (!holder || !window.uPlot) return;
  let plot = null;

  function size() {
    return { width: Math.max(280, holder.clientWidth || 600), height: 300 };
  }

  async function draw() {
    const response = await fetch(holder.dataset.series);
    if (!response.ok) return;
    const series = await response.json();
    const data = [series.time, series.power_kw, series.energy_kwh];
    holder.dataset.points = String(series.time.length);
    document.getElementById("plot-empty").hidden = series.time.length > 0;
    if (plot) {
      plot.setData(data);
      return;
    }
    plot = new uPlot(
      Object.assign(size(), {
        series: [
          {},
          { label: "Power (kW)", stroke: "#0b5cad", width: 2, scale: "kW", spanGaps: true },
          { label: "Energy (kWh)", stroke: "#b35900", width: 2, scale: "kWh", spanGaps: true },
        ],
        axes: [{}, { scale: "kW", label: "kW" }, { scale: "kWh", label: "kWh", side: 1, grid: { show: false } }],
      }),
      data,
      holder,
    );
  }

  let pending = null;
  document.addEventListener("chargeyard:event", (event) => {
    const type = event.detail.type;
    if (type === "meter_values.received" || type.startsWith("session.")) {
      clearTimeout(pending);
      pending = setTimeout(draw, 200);
    }
  });
  window.addEventListener("resize", () => plot && plot.setSize(size()));
  draw();
})();
