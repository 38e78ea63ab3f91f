// Awareness page chart; no inline script (the content security policy forbids it).
// The numbers come from a <script type="application/json"> block; the table
// below the chart carries the same numbers (hidden cells are left out of both).
(function () {
  "use strict";

  var COLOURS = ["#0031d8", "#00a3bf", "#e25100", "#7f19e6", "#626264"];

  function draw() {
    var source = document.getElementById("awareness-chart-data");
    var target = document.getElementById("awareness-chart");
    if (!source || !target || typeof window.Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    if (!data.kinds.length) { target.hidden = true; return; }
    var traces = data.series.map(function (s, i) {
      return {
        type: "bar", orientation: "h", name: s.name, x: s.values, y: data.kinds,
        marker: { color: COLOURS[i % COLOURS.length] },
        hovertemplate: s.name + " %{y}: %{x}<extra></extra>"
      };
    });
    window.Plotly.newPlot(target, traces, {
      barmode: "stack", title: { text: data.title }, xaxis: { title: { text: data.axis } },
      yaxis: { automargin: true, autorange: "reversed" }, legend: { orientation: "h", y: -0.2 },
      margin: { t: 48, r: 16, b: 80, l: 16 }, height: Math.max(320, 120 + data.kinds.length * 40)
    }, { displayModeBar: false, responsive: true });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) { summary.focus(); }
    draw();
  });
})();
