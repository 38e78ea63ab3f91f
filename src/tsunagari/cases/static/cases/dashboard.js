// The coordinator's dashboard: a stacked bar chart of cases by stage and regime,
// drawn offline with the bundled Plotly from the same suppressed counts as the
// table beside it (a hidden count is drawn as nothing, never as a number).
(function () {
  "use strict";
  var COLOURS = ["#0031d8", "#b78f00"];
  function draw(holder) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source || typeof window.Plotly === "undefined") { return; }
    var chart = JSON.parse(source.textContent);
    var traces = chart.series.map(function (s, i) {
      return { type: "bar", name: s.name, x: chart.categories, y: s.values,
               marker: { color: COLOURS[i % COLOURS.length] },
               hovertemplate: "%{x}: %{y}<extra>" + s.name + "</extra>" };
    });
    window.Plotly.newPlot(holder, traces, {
      barmode: "stack",
      yaxis: { title: { text: chart.axis }, rangemode: "tozero", automargin: true },
      xaxis: { type: "category", automargin: true },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 16, r: 16, b: 48, l: 56 }, height: 340,
      font: { family: "Noto Sans JP, Hiragino Sans, Yu Gothic UI, Meiryo, sans-serif" }
    }, { displayModeBar: false, responsive: true });
    holder.setAttribute("data-drawn", "true");
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
}());
