// Shared by dashboard.js and incident.js: the country outlines (static/casualties/data/countries.geojson,
// Natural Earth) as one scattergeo line trace drawn under each map.
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
