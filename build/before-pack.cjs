// electron-builder beforePack hook: compiles the engine (scripts/build-engine.mjs) into dist/engine before the
// app's files are collected, so the package runs the bundle, not TypeScript through tsx (issue 19).
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function beforePack() {
  const { buildEngine } = await import(pathToFileURL(join(__dirname, '..', 'scripts', 'build-engine.mjs')).href);
  await buildEngine();
};
