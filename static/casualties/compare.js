/* The comparison page: draws killed by month, ours beside theirs, from GET /api/v1/compare/ with the
   page's own query string. No inline scripts: the page works under a strict CSP. */
(function () {
  "use strict";

  var root = document.getElementById("compare");
  var chart = document.getElementById("compare-chart");
  if (!root || !chart || !root.dataset.compareUrl) return;

  function setStatus(text) {
    var element = document.getElementById("compare-status");
    if (element) element.textContent = text || "";
  }

  fetch(root.dataset.compareUrl + "&set=matched", { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) {
      if (!response.ok) throw new Error("The comparison could not be loaded (" + response.status + ").");
      return response.json();
    })
    .then(function (body) {
      var months = body.by_month.map(function (row) { return row.month; });
      var theirs = body.dataset.name;
      var traces = [
        {
          type: "bar", name: "Ours (killed, highest count)", x: months,
          y: body.by_month.map(function (row) { return row.ours_killed_max; }),
          marker: { color: "#1f6f8b" }
        },
        {
          type: "bar", name: theirs + " (killed, best estimate)", x: months,
          y: body.by_month.map(function (row) { return row.theirs_killed_best; }),
          marker: { color: "#d08a3a" },
          error_y: {
            type: "data", symmetric: false,
            array: body.by_month.map(function (row) { return row.theirs_killed_max - row.theirs_killed_best; }),
            arrayminus: body.by_month.map(function (row) { return row.theirs_killed_best - row.theirs_killed_min; })
          }
        }
      ];
      var layout = {
        barmode: "group", margin: { t: 10, r: 10, b: 40, l: 50 }, height: 320,
        xaxis: { type: "category" }, yaxis: { title: { text: "Killed" }, rangemode: "tozero" },
        legend: { orientation: "h", y: -0.2 }
      };
      return window.Plotly.newPlot(chart, traces, layout, { responsive: true, displaylogo: false });
    })
    .then(function () {
      setStatus("");
      root.dataset.chartReady = "true";
    })
    .catch(function (error) {
      setStatus(error.message);
      root.dataset.chartReady = "error";
    });
})();
