// Shared by dashboard.js and incident.js: the country outlines (static/casualties/data/countries.geojson,
// Natural Earth) as one scattergeo line trace drawn under each map, and the town names kept apart.
window.casualtyOutlineTrace = (function () {
  "use strict";
  return function outlineTrace(geojson) {
    var lon = [], lat = [];
    geojson.features.forEach(function (feature) {
      var geometry = feature.geometry;
      if (!geometry) return;
      var polygons = geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
      polygons.forEach(function (polygon) {
        polygon.forEach(function (ring) {
          ring.forEach(function (point) { lon.push(point[0]); lat.push(point[1]); });
          lon.push(null); lat.push(null);
        });
      });
    });
    return {
      type: "scattergeo", mode: "lines", lon: lon, lat: lat, name: "Borders (Natural Earth)",
      line: { color: "#8a8a8a", width: 0.7 }, hoverinfo: "skip", showlegend: false
    };
  };
})();

// Town names as drawn: the server chose them by population and spacing in degrees, but how wide a name is
// on screen depends on the screen. After each draw, a name whose box would touch a larger town's name (the
// server sends them most populous first) or a cluster's count is hidden, with its dot. Hidden names come
// back when a zoom gives them room (dashboard.js redraws after a zoom).
window.casualtyDeclutterLabels = (function () {
  "use strict";
  var PAD = 2;  // pixels kept clear around each name

  function kind(group) {
    var calc = group.__data__ && group.__data__[0];
    var customdata = calc && calc.trace && calc.trace.customdata;
    return customdata && customdata[0] ? customdata[0][1] : null;
  }

  function box(node) {
    var rect = node.getBoundingClientRect();
    return { left: rect.left - PAD, right: rect.right + PAD, top: rect.top - PAD, bottom: rect.bottom + PAD };
  }

  function touches(one, other) {
    return one.left < other.right && other.left < one.right && one.top < other.bottom && other.top < one.bottom;
  }

  return function declutterLabels(element) {
    var kept = [];
    var groups = Array.prototype.slice.call(element.querySelectorAll("g.trace.scattergeo"));
    groups.filter(function (group) { return kind(group) === "cluster"; }).forEach(function (group) {
      group.querySelectorAll("text").forEach(function (text) { kept.push(box(text)); });
    });
    groups.filter(function (group) { return kind(group) === "label"; }).forEach(function (group) {
      var dots = group.querySelectorAll("path.point");
      group.querySelectorAll("text").forEach(function (text, index) {
        text.style.visibility = "";
        var shape = box(text);
        var hidden = shape.right - shape.left > 2 * PAD && kept.some(function (other) { return touches(shape, other); });
        text.style.visibility = hidden ? "hidden" : "";
        if (dots[index]) dots[index].style.visibility = hidden ? "hidden" : "";
        if (!hidden) kept.push(shape);
      });
    });
  };
})();
