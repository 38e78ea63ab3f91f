// Gap page charts; no inline script (the content security policy forbids it).
// The numbers come from a <script type="application/json"> block; the table
// below the charts carries the same numbers for screen readers.
(function () {
  "use strict";

  function height(n) { return Math.max(320, 60 + n * 26); }

  function draw() {
    var source = document.getElementById("gap-chart-data");
    if (!source || typeof window.Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var places = document.getElementById("gap-places-chart");
    if (places) {
      if (!data.places.towns.length) { places.hidden = true; } else {
        window.Plotly.newPlot(places, [{
          type: "bar", orientation: "h", x: data.places.values, y: data.places.towns,
          marker: { color: "#0031d8" }, hovertemplate: "%{y}: %{x}<extra></extra>"
        }], {
          title: { text: data.places.title }, xaxis: { title: { text: data.places.axis } },
          yaxis: { automargin: true, autorange: "reversed" },
          margin: { t: 48, r: 16, b: 48, l: 16 }, height: height(data.places.towns.length)
        }, { displayModeBar: false, responsive: true });
      }
    }
    var lonely = document.getElementById("gap-lonely-chart");
    if (lonely && data.loneliness.towns.length) {
      var l = data.loneliness;
      var plus = l.high.map(function (h, i) { return Math.round((h - l.values[i]) * 10) / 10; });
      var minus = l.low.map(function (lo, i) { return Math.round((l.values[i] - lo) * 10) / 10; });
      var traces = [{
        type: "scatter", mode: "markers", x: l.values, y: l.towns, name: l.title,
        marker: { color: "#0031d8", size: 9, symbol: "diamond" },
        error_x: { type: "data", symmetric: false, array: plus, arrayminus: minus, color: "#333" },
        hovertemplate: "%{y}: %{x}%<extra></extra>"
      }];
      var shapes = [];
      if (l.ward !== null) {
        shapes.push({ type: "line", x0: l.ward, x1: l.ward, yref: "paper", y0: 0, y1: 1,
                      line: { color: "#c00", dash: "dash" } });
      }
      window.Plotly.newPlot(lonely, traces, {
        title: { text: l.title }, xaxis: { title: { text: l.axis } },
        yaxis: { automargin: true, autorange: "reversed" }, shapes: shapes, showlegend: false,
        annotations: l.ward === null ? [] : [{ x: l.ward, yref: "paper", y: 1.02, text: l.ward_label,
                                               showarrow: false }],
        margin: { t: 56, r: 16, b: 48, l: 16 }, height: height(l.towns.length)
      }, { displayModeBar: false, responsive: true });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("form-errors");
    if (summary) { summary.focus(); }
    draw();
  });
})();
