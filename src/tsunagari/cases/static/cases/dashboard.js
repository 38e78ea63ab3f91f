// The coordinator's dashboard: a stacked bar chart of cases by stage and regime
// (js/stacked_bars.js draws it from the same suppressed counts as the table).
(function () {
  "use strict";
  var COLOURS = ["#0031d8", "#b78f00"];
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.TsunagariCharts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (holder) {
      window.TsunagariCharts.stackedBars(holder, COLOURS, 340);
    });
  });
}());
