/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS require hook, by design */
// Lets a child process of a test require the project's TypeScript (apps and libs, `@app/*` aliases):
// compiled on the fly by @swc/core with the jest transform's options (swc-options.js: decorator
// metadata included, which Nest's injection needs and tsx/esbuild does not emit).
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { transformSync } = require('@swc/core');

const root = path.resolve(__dirname, '../..');
const swcOptions = require('./swc-options');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  const alias = /^@app\/([a-z-]+)(?:\/(.*))?$/.exec(request);
  const target = alias ? path.join(root, 'libs', alias[1], 'src', alias[2] ?? 'index') : request;
  return resolve.call(this, target, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { filename, ...swcOptions });
  module._compile(code, filename);
};
