// One stacked bar chart, drawn offline with the bundled Plotly from the same
// suppressed counts as the table beside it (a hidden count is drawn as
// nothing, never as a number). The holder's data-chart names a JSON block
// with categories, series (name and values) and the axis title. Pages call
// TsunagariCharts.stackedBars(holder, colours, height) for each holder: the
// case coordinator's dashboard and the outreach team's page.
(function () {
  "use strict";
  function stackedBars(holder, colours, height) {
    var source = document.getElementById(holder.getAttribute("data-chart"));
    if (!source || typeof window.Plotly === "undefined") { return; }
    var chart = JSON.parse(source.textContent);
    var traces = chart.series.map(function (s, i) {
      return { type: "bar", name: s.name, x: chart.categories, y: s.values,
               marker: { color: colours[i % colours.length] },
               hovertemplate: "%{x}: %{y}<extra>" + s.name + "</extra>" };
    });
    window.Plotly.newPlot(holder, traces, {
      barmode: "stack",
      yaxis: { title: { text: chart.axis }, rangemode: "tozero", automargin: true },
      xaxis: { type: "category", automargin: true },
      legend: { orientation: "h", y: -0.25 },
      margin: { t: 16, r: 16, b: 48, l: 56 }, height: height,
      font: { family: "Noto Sans JP, Hiragino Sans, Yu Gothic UI, Meiryo, sans-serif" }
    }, { displayModeBar: false, responsive: true });
    holder.setAttribute("data-drawn", "true");
  }
  window.TsunagariCharts = window.TsunagariCharts || {};
  window.TsunagariCharts.stackedBars = stackedBars;
}());
