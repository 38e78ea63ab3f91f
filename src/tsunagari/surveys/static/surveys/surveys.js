// Survey charts. The data sit in <script type="application/json"> blocks named
// by each chart's data-chart attribute (no inline script: the CSP forbids it);
// the table beside every chart carries the same numbers for screen readers.
(function () {
  "use strict";

  var COLOURS = ["#0031d8", "#b78f00", "#197a4b", "#d7001a"];

  function errorBars(series) {
    if (!series.low || !series.high) { return undefined; }
    var plus = [], minus = [];
    for (var i = 0; i < series.values.length; i++) {
      var v = series.values[i];
      plus.push(v === null || series.high[i] === null ? null : series.high[i] - v);
      minus.push(v === null || series.low[i] === null ? null : v - series.low[i]);
    }
    return { type: "data", symmetric: false, array: plus, arrayminus: minus, color: "#4d4d4d", thickness: 1.5 };
  }

  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source || typeof window.Plotly === "undefined") { return; }
    var chart = JSON.parse(source.textContent);
    var traces = chart.series.map(function (s, i) {
      if (chart.kind === "line") {
        return {
          type: "scatter", mode: "lines+markers", name: s.name, x: s.x, y: s.values,
          error_y: errorBars(s), connectgaps: false,
          line: { color: COLOURS[Math.floor(i / 2) % COLOURS.length], dash: s.dash ? "dash" : "solid" },
          hovertemplate: "%{x}: %{y}%<extra>" + s.name + "</extra>"
        };
      }
      return {
        type: "bar", name: s.name, x: chart.categories, y: s.values, error_y: errorBars(s),
        marker: { color: COLOURS[i % COLOURS.length] },
        hovertemplate: "%{x}: %{y}%<extra>" + s.name + "</extra>"
      };
    });
    window.Plotly.newPlot(holder, traces, {
      barmode: "group",
      yaxis: { title: { text: chart.axis }, rangemode: "tozero", automargin: true },
      xaxis: { automargin: true, type: chart.kind === "line" ? "linear" : "category", dtick: chart.kind === "line" ? 1 : undefined },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 16, r: 16, b: 48, l: 56 },
      height: 360,
      font: { family: "Noto Sans JP, Hiragino Sans, Yu Gothic UI, Meiryo, sans-serif" }
    }, { displayModeBar: false, responsive: true });
    holder.setAttribute("data-drawn", "true");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var holders = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < holders.length; i++) { draw(holders[i]); }
    var report = document.getElementById("report-heading");
    if (report) { report.focus(); }
  });
})();
