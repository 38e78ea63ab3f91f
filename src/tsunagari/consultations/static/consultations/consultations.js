// Front door behaviours; no inline script (the content security policy forbids it).
(function () {
  "use strict";

  // Enter in the person look-up searches; it must not submit the whole intake.
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target && target.matches && target.matches("input[data-no-submit]")) {
      event.preventDefault();
    }
  });

  // Move focus to the error summary so keyboard and screen-reader users hear it first.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("intake-errors");
    if (summary) { summary.focus(); }
    drawLoopChart();
  });

  // The closed-loop chart: data from a <script type="application/json"> block;
  // the table beside it carries the same numbers for screen readers.
  function drawLoopChart() {
    var holder = document.getElementById("loop-chart");
    var source = document.getElementById("loop-chart-data");
    if (!holder || !source || typeof window.Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.agencies.length) { holder.hidden = true; return; }
    window.Plotly.newPlot(holder, [{
      type: "bar",
      orientation: "h",
      x: data.rates,
      y: data.agencies,
      marker: { color: "#0031d8" },
      hovertemplate: "%{y}: %{x}%<extra></extra>"
    }], {
      title: { text: data.title },
      xaxis: { title: { text: data.axis }, range: [0, 100] },
      yaxis: { automargin: true, autorange: "reversed" },
      margin: { t: 48, r: 16, b: 48, l: 16 },
      height: Math.max(320, 40 + data.agencies.length * 28)
    }, { displayModeBar: false, responsive: true });
  }
})();
