// Shared by dashboard.js and incident.js: the country outlines (static/casualties/data/countries.geojson,
// Natural Earth) as one scattergeo line trace drawn under each map; town names kept apart; the phone layout.
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
// server sends them most populous first) or a cluster's count, or that the map's edge cuts, is hidden, with its dot. Hidden names come
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

  function inside(shape, frame) {
    return !frame || (shape.left >= frame.left - PAD && shape.right <= frame.right + PAD &&
      shape.top >= frame.top - PAD && shape.bottom <= frame.bottom + PAD);
  }

  return function declutterLabels(element) {
    var kept = [];
    var subplot = element._fullLayout && element._fullLayout.geo && element._fullLayout.geo._subplot;
    var frame = subplot && subplot.bgRect ? subplot.bgRect.node().getBoundingClientRect() : null;
    var groups = Array.prototype.slice.call(element.querySelectorAll("g.trace.scattergeo"));
    groups.filter(function (group) { return kind(group) === "cluster"; }).forEach(function (group) {
      group.querySelectorAll("text").forEach(function (text) { kept.push(box(text)); });
    });
    groups.filter(function (group) { return kind(group) === "label"; }).forEach(function (group) {
      var dots = group.querySelectorAll("path.point");
      group.querySelectorAll("text").forEach(function (text, index) {
        text.style.visibility = "";
        var shape = box(text);
        var drawn = shape.right - shape.left > 2 * PAD;
        // Cut by the map's edge, or on a larger town's name or a cluster's count: hidden.
        var hidden = drawn && (!inside(shape, frame) || kept.some(function (other) { return touches(shape, other); }));
        text.style.visibility = hidden ? "hidden" : "";
        if (dots[index]) dots[index].style.visibility = hidden ? "hidden" : "";
        if (!hidden) kept.push(shape);
      });
    });
  };
})();

// Phones (under 600 px): a map full width and `options.height` px tall. The server widens its view to a laptop's
// wide frame, a strip on a 390 px screen; a phone starts again from what must show (layout.meta.fit) and widens
// whichever side the screen's shape needs, in Mercator's own units. With `options.legend`, the legend goes under
// the map, with room for it.
window.casualtyPhoneMapLayout = (function () {
  "use strict";
  function mercatorY(lat) { return Math.log(Math.tan(Math.PI / 4 + lat * Math.PI / 360)); }
  function mercatorLat(y) { return (2 * Math.atan(Math.exp(y)) - Math.PI / 2) * 180 / Math.PI; }

  return function phoneMapLayout(element, layout, options) {
    var width = element.clientWidth;
    if (width >= 600 || !layout.geo || !layout.geo.lataxis || !layout.geo.lonaxis) return layout;
    var fit = (layout.meta && layout.meta.fit) || { lataxis: layout.geo.lataxis.range, lonaxis: layout.geo.lonaxis.range };
    var low = mercatorY(fit.lataxis[0]), high = mercatorY(fit.lataxis[1]);
    var west = fit.lonaxis[0] * Math.PI / 180, east = fit.lonaxis[1] * Math.PI / 180;
    var ratio = options.height / width;  // screen height per screen width
    if ((high - low) < (east - west) * ratio) {
      var middleY = (low + high) / 2, halfY = (east - west) * ratio / 2;
      low = middleY - halfY;
      high = middleY + halfY;
    } else {
      var middleX = (west + east) / 2, halfX = (high - low) / ratio / 2;
      west = middleX - halfX;
      east = middleX + halfX;
    }
    var degrees = 180 / Math.PI;
    var geo = Object.assign({}, layout.geo, {
      lataxis: Object.assign({}, layout.geo.lataxis, { range: [Math.max(-85, mercatorLat(low)), Math.min(85, mercatorLat(high))] }),
      lonaxis: Object.assign({}, layout.geo.lonaxis, { range: [Math.max(-180, west * degrees), Math.min(180, east * degrees)] })
    });
    if (!options.legend) return Object.assign({}, layout, { height: options.height, geo: geo });
    var legend = Object.assign({}, layout.legend || {}, { orientation: "h", yanchor: "top", y: 0, x: 0 });
    return Object.assign({}, layout, { height: options.height + 90, geo: geo, legend: legend });
  };
})();
