// The dashboard's charts: bars (timeline, governorates) and scattergeo (the map). Scatter comes with the core.
var Plotly = require('plotly.js/lib/core');

Plotly.register([require('plotly.js/lib/bar'), require('plotly.js/lib/scattergeo')]);

module.exports = Plotly;
