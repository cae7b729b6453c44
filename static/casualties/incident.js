/* The incident page: its small map, and a question before the two review actions that take an incident out of
   the lists (analysts only: the forms are not there for others). */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm], button[data-confirm]").forEach(function (element) {
    var form = element.tagName === "FORM" ? element : element.form;
    if (element.tagName === "BUTTON") {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.dataset.confirm)) event.preventDefault();
      });
    } else {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    }
  });

  // Country outlines under the figure the server built (casualties.charts.incident_map_figure), as on the dashboard.
  var outlineTrace = window.casualtyOutlineTrace;

  function drawMap() {
    var element = document.getElementById("incident-map");
    var source = document.getElementById("incident-map-figure");
    if (!element || !source || typeof Plotly === "undefined") return;
    var figure = JSON.parse(source.textContent);
    var config = { responsive: true, displaylogo: false, topojsonURL: element.dataset.topojsonUrl };
    fetch(element.dataset.outlinesUrl, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .catch(function () { return null; })
      .then(function (geojson) {
        var data = (geojson ? [outlineTrace(geojson)] : []).concat(figure.data);
        // A phone: full width and 300 px tall, the view refitted to the screen's shape (outlines.js).
        var layout = window.casualtyPhoneMapLayout(element, figure.layout, { height: 300, legend: false });
        return Plotly.react(element, data, layout, config);
      })
      .then(function () {
        window.casualtyDeclutterLabels(element);
        element.on("plotly_afterplot", function () { window.casualtyDeclutterLabels(element); });
        element.dataset.ready = "true";
      });
  }

  drawMap();
})();

/* Relocation: the place search box fills the list of places to move the incident to
   (/api/v1/places/?q=, which also reads the query as the extractor would). */
(function () {
  "use strict";

  var form = document.getElementById("relocate-form");
  if (!form) return;
  var input = document.getElementById("relocate-search");
  var select = document.getElementById("relocate-place");
  var timer = null;

  function label(place) {
    return place.name + (place.admin1 ? ", " + place.admin1.name : "") + " (" + place.country + ")";
  }

  function search(query) {
    var url = form.dataset.placesUrl + "?" + new URLSearchParams({ q: query }).toString();
    form.dataset.searching = "true";
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (places) {
        if (input.value.trim() !== query) return; // a later query is on its way
        select.replaceChildren();
        if (!places.length) {
          var none = document.createElement("option");
          none.value = "";
          none.textContent = "No place found for " + query;
          select.appendChild(none);
        }
        places.forEach(function (place) {
          var option = document.createElement("option");
          option.value = String(place.id);
          option.textContent = label(place);
          select.appendChild(option);
        });
      })
      .catch(function () { /* the list keeps what it had */ })
      .finally(function () { form.dataset.searching = "false"; });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    var query = input.value.trim();
    if (query.length < 2) return;
    timer = window.setTimeout(function () { search(query); }, 250);
  });
})();
