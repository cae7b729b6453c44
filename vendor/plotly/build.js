// Builds plotly.min.js from entry.js with the settings of plotly.js's own esbuild-config.js
// (its CSS inlined, `global` as `window`), minified as its dist bundles are.
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const version = require('plotly.js/package.json').version;

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: path.join(__dirname, 'plotly.min.js'),
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        legalComments: 'eof',
        banner: { js: `/* plotly.js v${version} (MIT, Copyright Plotly, Inc.): bar and scattergeo only, built by vendor/plotly/build.js */` },
        plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
        alias: { stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2016',
        logLevel: 'info'
    })
    .catch(() => process.exit(1));
