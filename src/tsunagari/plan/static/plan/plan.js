// The plan's trend chart; the table beside it carries the same numbers.
// No inline script: data come from a <script type="application/json"> block.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var errors = document.getElementById("plan-errors");
    if (errors) { errors.focus(); }
    var holder = document.getElementById("chart-trend");
    var source = document.getElementById("chart-trend-data");
    if (!holder || !source || typeof window.Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    window.Plotly.newPlot(holder, [
      { type: "bar", name: data.value_label, x: data.years, y: data.values, marker: { color: "#0031d8" } },
      { type: "scatter", mode: "lines+markers", name: data.target_label, x: data.years, y: data.targets,
        line: { color: "#9e0000", dash: "dash" } }
    ], {
      title: { text: data.title },
      xaxis: { type: "category" },
      yaxis: { title: { text: data.unit }, rangemode: "tozero" },
      margin: { t: 48, r: 16, b: 40, l: 56 },
      height: 320
    }, { displayModeBar: false, responsive: true });
  });
})();
