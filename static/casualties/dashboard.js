/* The dashboard page: draws the timeline, the map and the governorate chart from the
   JSON endpoints, passing them the page's own query string, and turns clicks on the
   charts into filters in the URL. No inline scripts: the page works under a strict CSP. */
(function () {
  "use strict";

  var root = document.getElementById("dashboard");
  if (!root) return;
  var plotConfig = {
    responsive: true,
    displaylogo: false,
    // Never used (every plotly base layer is off), but if it were, it would ask our server, not a CDN.
    topojsonURL: root.dataset.topojsonUrl
  };

  // URLs and fetches are shared with dashboard_data.js, which started the first ones early.
  var dashboardData = window.casualtyDashboardData;
  var currentParams = dashboardData.currentParams;
  var filterParams = dashboardData.filterParams;
  var withParams = dashboardData.withParams;
  var fetchJSON = dashboardData.fetchJSON;

  // `hash` ("#incidents"): where the new page opens, e.g. at the table of the incidents clicked on.
  function navigate(params, hash) {
    params.delete("page");
    var query = params.toString();
    window.location.assign(window.location.pathname + (query ? "?" + query : "") + (hash || ""));
  }

  function setStatus(id, text, isError) {
    var element = document.getElementById(id);
    if (!element) return;
    element.textContent = text || "";
    element.classList.toggle("error-text", Boolean(isError));
  }

  // --- Timeline -------------------------------------------------------------------

  function drawTimeline() {
    var element = document.getElementById("timeline");
    if (!element) return Promise.resolve();
    setStatus("timeline-status", "Loading…");
    return dashboardData.load(dashboardData.timelineURL()).then(function (body) {
      element.dataset.interval = body.interval;
      var csvLink = document.getElementById("timeline-csv");
      if (csvLink) {
        var csvParams = filterParams();
        csvParams.set("interval", body.interval);
        if (body.stack !== "none") csvParams.set("group_by", body.stack);
        csvParams.set("format", "csv");
        csvLink.href = withParams(csvLink.pathname, csvParams);
      }
      return Plotly.react(element, body.figure.data, phoneTimelineLayout(element, body.figure), plotConfig).then(function () {
        element.dataset.ready = "true";
        setStatus("timeline-status", "One bar per " + body.interval + (body.interval === "week" ? " (weeks start on Monday)" : "") + ".");
        if (!element.dataset.bound) {
          element.dataset.bound = "true";
          element.on("plotly_click", function (event) {
            var point = event.points && event.points[0];
            if (!point || point.customdata == null) return;
            // A reported period total's line: its own page (sources and evidence).
            if (point.data.type === "scatter") {
              window.location.assign("/incidents/" + point.customdata + "/");
              return;
            }
            // A bar: the table of its incidents, i.e. the filters narrowed to its period and group.
            var params = currentParams();
            params.set("date_from", point.customdata[0]);
            params.set("date_to", point.customdata[1]);
            if (point.customdata[2]) params.set(point.customdata[2], decodeURIComponent(point.customdata[3]));
            navigate(params, "#incidents");
          });
        }
      });
    }).catch(function (error) {
      setStatus("timeline-status", error.message, true);
    });
  }

  function bindChartControls() {
    ["measure", "stack"].forEach(function (id) {
      var select = document.getElementById(id);
      if (!select) return;
      select.addEventListener("change", function () {
        // Kept in the URL so a shared link shows the same chart, without reloading the page.
        var params = currentParams();
        params.set(id, select.value);
        window.history.replaceState(null, "", window.location.pathname + "?" + params.toString());
        drawTimeline();
      });
    });
  }

  // --- Map ------------------------------------------------------------------------

  var outlines = null;

  var outlineTrace = window.casualtyOutlineTrace;
  var declutterLabels = window.casualtyDeclutterLabels;

  function loadOutlines() {
    if (outlines) return Promise.resolve(outlines);
    return dashboardData.load(root.dataset.outlinesUrl).then(function (geojson) {
      outlines = outlineTrace(geojson);
      return outlines;
    }).catch(function () { return null; });
  }

  function selectionBbox(event) {
    var lons = [], lats = [];
    if (event && event.points && event.points.length) {
      event.points.forEach(function (point) {
        // Town labels are the map's furniture, not incidents: they do not widen the area chosen.
        if (point.customdata && point.customdata[1] === "label") return;
        // A cluster stands for incidents spread around its centre: all of them are chosen.
        if (point.customdata && point.customdata[1] === "cluster") {
          lons.push(point.customdata[2], point.customdata[4]);
          lats.push(point.customdata[3], point.customdata[5]);
          return;
        }
        if (point.lon != null && point.lat != null) { lons.push(point.lon); lats.push(point.lat); }
      });
    }
    if (!lons.length && event && event.range && event.range.geo) {
      event.range.geo.forEach(function (corner) { lons.push(corner[0]); lats.push(corner[1]); });
    }
    if (!lons.length && event && event.lassoPoints && event.lassoPoints.geo) {
      event.lassoPoints.geo.forEach(function (corner) { lons.push(corner[0]); lats.push(corner[1]); });
    }
    if (!lons.length) return null;
    var round = function (value) { return Math.round(value * 1000) / 1000; };
    return [
      round(Math.max(-180, Math.min.apply(null, lons) - 0.001)),
      round(Math.max(-90, Math.min.apply(null, lats) - 0.001)),
      round(Math.min(180, Math.max.apply(null, lons) + 0.001)),
      round(Math.min(90, Math.max.apply(null, lats) + 0.001))
    ].join(",");
  }

  // Phones: the timeline grows to hold its legend under the plot (one row for about two entries).
  function phoneTimelineLayout(element, figure) {
    var layout = figure.layout;
    if (element.clientWidth >= 600 || !figure.data.length) return layout;
    var entries = figure.data.filter(function (trace) { return trace.showlegend !== false; }).length;
    // A third as many ticks as on a laptop (the server sets them for about ten), so their dates do not collide.
    var xaxis = Object.assign({}, layout.xaxis || {});
    if (typeof xaxis.dtick === "number") xaxis.dtick *= 3;
    else if (typeof xaxis.dtick === "string" && xaxis.dtick.charAt(0) === "M") xaxis.dtick = "M" + 3 * Number(xaxis.dtick.slice(1));
    return Object.assign({}, layout, { height: (layout.height || 360) + 60 + 22 * Math.ceil(entries / 2), xaxis: xaxis });
  }

  // Phones: a map full width and at least 300 px tall, its legend under it (static/casualties/outlines.js).
  function phoneMapLayout(element, layout) {
    return window.casualtyPhoneMapLayout(element, layout, { height: 360, legend: true });
  }

  // The part of the world the map shows now, as the `view` the server suits its clusters and labels to:
  // the corners of plotly's drawing frame (its clip rectangle) taken back through its projection (Mercator:
  // meridians and parallels are straight, so two corners give the extent). West-north, then east-south.
  function visibleView(element) {
    var geo = element._fullLayout && element._fullLayout.geo;
    var subplot = geo && geo._subplot;
    if (!subplot || !subplot.projection || !subplot.projection.invert || !subplot.clipRect) return null;
    var frame = ["x", "y", "width", "height"].map(function (name) { return Number(subplot.clipRect.attr(name)) || 0; });
    var west = subplot.projection.invert([frame[0], frame[1]]);
    var east = subplot.projection.invert([frame[0] + frame[2], frame[1] + frame[3]]);
    if (!west || !east || ![west[0], west[1], east[0], east[1]].every(isFinite)) return null;
    var round = function (value) { return Math.round(value * 1000) / 1000; };
    var clamp = function (value, limit) { return Math.max(-limit, Math.min(limit, value)); };
    return [
      round(clamp(west[0], 180)), round(clamp(east[1], 85)), round(clamp(east[0], 180)), round(clamp(west[1], 85))
    ].join(",");
  }

  // After a zoom or a pan, the map asks again for the same filters with its new view: clusters split and
  // more towns are named as the view narrows. The reader's zoom stays (the layout keeps its geo).
  var viewTimer = null;
  function redrawForView(element) {
    window.clearTimeout(viewTimer);
    viewTimer = window.setTimeout(function () {
      var view = visibleView(element);
      if (!view || view === element.dataset.view) return;
      element.dataset.view = view;
      element.dataset.ready = "false";
      var params = filterParams();
      params.set("view", view);
      Promise.all([fetchJSON(withParams(root.dataset.mapUrl, params)), loadOutlines()]).then(function (results) {
        if (element.dataset.view !== view) return;  // a later zoom is on its way
        var data = (results[1] ? [results[1]] : []).concat(results[0].figure.data);
        return Plotly.react(element, data, Object.assign({}, element.layout), plotConfig).then(function () {
          declutterLabels(element);
          element.dataset.ready = "true";
        });
      }).catch(function (error) {
        setStatus("map-status", error.message, true);
      });
    }, 250);
  }

  // A cluster: zoom in to its incidents (the redraw splits it); incidents all at one place: list them.
  function openCluster(element, extent) {
    var minLon = extent[0], minLat = extent[1], maxLon = extent[2], maxLat = extent[3];
    if (maxLon - minLon < 0.001 && maxLat - minLat < 0.001) {
      var params = currentParams();
      params.set("bbox", [minLon - 0.001, minLat - 0.001, maxLon + 0.001, maxLat + 0.001].map(function (value) {
        return Math.round(value * 1000) / 1000;
      }).join(","));
      navigate(params, "#incidents");
      return;
    }
    var padLon = Math.max(0.2, (maxLon - minLon) * 0.3), padLat = Math.max(0.2, (maxLat - minLat) * 0.3);
    Plotly.relayout(element, {
      "geo.lonaxis.range": [minLon - padLon, maxLon + padLon],
      "geo.lataxis.range": [minLat - padLat, maxLat + padLat],
      "geo.projection.scale": 1,
      "geo.center.lon": (minLon + maxLon) / 2,
      "geo.center.lat": (minLat + maxLat) / 2,
      "geo.projection.rotation.lon": (minLon + maxLon) / 2
    });
  }

  function drawMap() {
    var element = document.getElementById("map");
    if (!element) return Promise.resolve();
    setStatus("map-status", "Loading…");
    return Promise.all([
      dashboardData.load(dashboardData.mapURL()),
      loadOutlines()
    ]).then(function (results) {
      var figure = results[0].figure;
      var data = (results[1] ? [results[1]] : []).concat(figure.data);
      return Plotly.react(element, data, phoneMapLayout(element, figure.layout), plotConfig).then(function () {
        element.dataset.view = visibleView(element) || "";
        element.dataset.unmapped = String(figure.unmapped || 0);
        declutterLabels(element);
        element.dataset.ready = "true";
        var note = figure.unmapped ? figure.unmapped + " incident(s) located only to a country are not on the map." : "";
        setStatus("map-status", note);
        if (!element.dataset.bound) {
          element.dataset.bound = "true";
          element.on("plotly_selected", function (event) {
            var bbox = selectionBbox(event);
            if (!bbox) return;
            var params = currentParams();
            params.set("bbox", bbox);
            navigate(params);
          });
          element.on("plotly_click", function (event) {
            var point = event.points && event.points[0];
            if (point && point.customdata && point.customdata[1] === "incident" && point.customdata[0]) {
              window.location.assign("/incidents/" + point.customdata[0] + "/");
            } else if (point && point.customdata && point.customdata[1] === "cluster") {
              openCluster(element, point.customdata.slice(2, 6));
            }
          });
          element.on("plotly_afterplot", function () { declutterLabels(element); });
          element.on("plotly_relayout", function (change) {
            var moved = Object.keys(change || {}).some(function (key) { return key.indexOf("geo") === 0; });
            if (moved) redrawForView(element);
          });
        }
      });
    }).catch(function (error) {
      setStatus("map-status", error.message, true);
    });
  }

  // --- By governorate -------------------------------------------------------------

  function drawAdmin1() {
    var element = document.getElementById("admin1-chart");
    if (!element) return Promise.resolve();
    return dashboardData.load(dashboardData.admin1URL()).then(function (body) {
      return Plotly.react(element, body.figure.data, body.figure.layout, plotConfig).then(function () {
        element.dataset.ready = "true";
        if (!element.dataset.bound) {
          element.dataset.bound = "true";
          // A bar: the table of that governorate's incidents.
          element.on("plotly_click", function (event) {
            var point = event.points && event.points[0];
            if (!point || !point.customdata) return;
            var params = currentParams();
            params.set("admin1", decodeURIComponent(point.customdata));
            navigate(params, "#incidents");
          });
        }
      });
    }).catch(function (error) {
      element.textContent = error.message;
    });
  }

  // --- Filters form ---------------------------------------------------------------

  function isoDate(date) {
    return date.toISOString().slice(0, 10);
  }

  function bindFilters() {
    var form = document.getElementById("filters");
    if (!form) return;
    // On a phone the filters start folded, so the numbers come first; the summary opens them.
    var details = document.getElementById("filters-details");
    if (details && window.matchMedia("(max-width: 900px)").matches) details.open = false;
    // Empty fields are left out, so the URL holds only the filters in use.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var params = new URLSearchParams();
      new FormData(form).forEach(function (value, name) {
        if (String(value).trim() !== "") params.append(name, String(value).trim());
      });
      var page = currentParams();
      ["measure", "stack"].forEach(function (name) { if (page.get(name)) params.set(name, page.get(name)); });
      navigate(params);
    });
    form.querySelectorAll("[data-range-days]").forEach(function (button) {
      button.addEventListener("click", function () {
        var from = form.elements.namedItem("date_from");
        var to = form.elements.namedItem("date_to");
        var days = button.dataset.rangeDays;
        if (days === "all") {
          from.value = ""; to.value = "";
        } else {
          var today = new Date();
          var start = new Date(today.getTime() - (Number(days) - 1) * 86400000);
          from.value = isoDate(start); to.value = isoDate(today);
        }
        form.requestSubmit();
      });
    });
    bindPlaceAutocomplete(form);
    bindAdmin1Search(form);
  }

  // A type-ahead over every governorate (of the country filtered on): those with incidents under the other
  // filters first, most first, each with its count; the browser matches what is typed against the display
  // name and every spelling in the label, so "Damascus countryside" or "Deir al-Zour" finds its division.
  // The value sent is the display name, which the filter accepts like GeoNames' name and the aliases.
  function bindAdmin1Search(form) {
    var input = document.getElementById("admin1-search");
    var list = document.getElementById("admin1-suggestions");
    if (!input || !list) return;
    input.addEventListener("focus", function () {
      if (list.dataset.loaded) return;
      list.dataset.loaded = "true";
      var params = filterParams();
      params.delete("admin1");
      fetchJSON(withParams(root.dataset.admin1ListUrl, params)).then(function (divisions) {
        divisions.sort(function (a, b) {
          return (b.incidents - a.incidents) || (a.display_name || a.name).localeCompare(b.display_name || b.name);
        });
        divisions.forEach(function (division) {
          var shown = division.display_name || division.name;
          var spellings = [division.name].concat(division.aliases || []).filter(function (spelling, index, all) {
            return spelling && spelling !== shown && all.indexOf(spelling) === index;
          });
          var option = document.createElement("option");
          option.value = shown;
          option.label = shown + " (" + division.country + ") · " + division.incidents +
            (division.incidents === 1 ? " incident" : " incidents") +
            (spellings.length ? " — also " + spellings.join(", ") : "");
          list.appendChild(option);
        });
      }).catch(function () { delete list.dataset.loaded; });
    });
  }

  function bindPlaceAutocomplete(form) {
    var input = form.elements.namedItem("place");
    var list = document.getElementById("place-suggestions");
    if (!input || !list) return;
    var timer = null;
    var lastQuery = "";
    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      var query = input.value.trim();
      if (query.length < 2 || query === lastQuery) return;
      timer = window.setTimeout(function () {
        lastQuery = query;
        var params = new URLSearchParams({ q: query });
        var country = form.elements.namedItem("country");
        if (country && /^[A-Za-z]{2}$/.test(country.value.trim())) params.set("country", country.value.trim());
        fetchJSON(withParams(root.dataset.placesUrl, params)).then(function (places) {
          list.replaceChildren();
          places.forEach(function (place) {
            var option = document.createElement("option");
            option.value = place.name;
            option.label = place.name + (place.admin1 ? " — " + (place.admin1.display_name || place.admin1.name) : "") + " (" + place.country + ")";
            list.appendChild(option);
          });
        }).catch(function () { /* autocomplete is a convenience: typing a name still filters */ });
      }, 200);
    });
  }

  // The possible-duplicates line, counted apart from the page (views.duplicates_note). Until it answers, or if
  // it fails, the line links the list of pairs, which counts them itself.
  function fillDuplicates() {
    var element = document.getElementById("possible-duplicates");
    if (!element || !element.dataset.url) return Promise.resolve();
    return dashboardData.load(element.dataset.url).then(function (body) {
      element.innerHTML = body.html;  // rendered and escaped by the server's template
      element.dataset.ready = "true";
    }).catch(function () { /* the link to the list stays */ });
  }

  // Marks for bench/page_weight.py: where a first load's time goes.
  function mark(name) {
    if (window.performance && performance.mark) performance.mark("casualty:" + name);
  }

  function start() {
    mark("plotly.js compiled, page parsed");
    bindFilters();
    bindChartControls();
    fillDuplicates();
    if (typeof Plotly === "undefined") {
      setStatus("timeline-status", "The charting library did not load.", true);
      return;
    }
    // The timeline and the map first: the governorate chart lies below them, and drawing it in between
    // (one main thread) put off the map by the time it takes. Each draw reports its own failure.
    Promise.all([
      drawTimeline().then(function () { mark("timeline drawn"); }),
      drawMap().then(function () { mark("map drawn"); })
    ]).then(drawAdmin1).then(function () {
      root.dataset.chartsReady = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
