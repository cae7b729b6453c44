/* The dashboard's data, asked for early. Loaded as a plain (not deferred) script at the end of
   the page, before plotly.js and dashboard.js: it starts the fetches of the timeline, map,
   governorate and outline JSON at once, so the answers arrive while plotly.js downloads and
   compiles instead of after it (docs/dashboard.md, "What the first load costs").
   dashboard.js builds its URLs and fetches through window.casualtyDashboardData, and takes
   the early answer when it asks for the same URL. No inline script: the page keeps its CSP. */
window.casualtyDashboardData = (function () {
  "use strict";

  var root = document.getElementById("dashboard");
  var PAGE_PARAMS = ["sort", "page", "measure", "stack"];
  var early = {};

  function currentParams() {
    return new URLSearchParams(window.location.search);
  }

  // The filters only: what the JSON endpoints and the exports receive.
  function filterParams() {
    var params = currentParams();
    PAGE_PARAMS.forEach(function (name) { params.delete(name); });
    return params;
  }

  function withParams(base, params) {
    var query = params.toString();
    return base + (query ? "?" + query : "");
  }

  // Errors come in one shape (docs/api.md): {code, detail, errors: {parameter: [messages]}}.
  function errorText(body) {
    if (!body) return "The data could not be loaded.";
    var names = Object.keys(body.errors || {});
    if (!names.length) return body.detail || "The data could not be loaded.";
    return names.map(function (name) {
      return name + ": " + [].concat(body.errors[name]).join(" ");
    }).join("; ");
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (response) {
      return response.json().catch(function () { return null; }).then(function (body) {
        if (!response.ok) throw new Error(errorText(body));
        return body;
      });
    });
  }

  // The answer fetched early for this URL (once: a redraw asks the server again), else a new fetch.
  function load(url) {
    var answer = early[url];
    delete early[url];
    return answer || fetchJSON(url);
  }

  function timelineURL() {
    var params = filterParams();
    var page = currentParams();
    var measure = document.getElementById("measure");
    var stack = document.getElementById("stack");
    params.set("measure", measure ? measure.value : page.get("measure") || "killed");
    params.set("stack", stack ? stack.value : page.get("stack") || "admin1");
    return withParams(root.dataset.timelineUrl, params);
  }

  function mapURL() { return withParams(root.dataset.mapUrl, filterParams()); }
  function admin1URL() { return withParams(root.dataset.admin1Url, filterParams()); }

  function fetchEarly(url) {
    early[url] = fetchJSON(url);
    early[url].catch(function () { /* reported by whoever draws it */ });
  }

  if (root && typeof fetch === "function") {
    if (document.getElementById("timeline")) fetchEarly(timelineURL());
    if (document.getElementById("map")) {
      fetchEarly(mapURL());
      fetchEarly(root.dataset.outlinesUrl);
    }
    if (document.getElementById("admin1-chart")) fetchEarly(admin1URL());
    var duplicates = document.getElementById("possible-duplicates");
    if (duplicates && duplicates.dataset.url) fetchEarly(duplicates.dataset.url);
  }

  return {
    currentParams: currentParams,
    filterParams: filterParams,
    withParams: withParams,
    fetchJSON: fetchJSON,
    load: load,
    timelineURL: timelineURL,
    mapURL: mapURL,
    admin1URL: admin1URL
  };
})();
