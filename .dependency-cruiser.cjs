/**
 * The layer rules (DESIGN.md "Layers"): engine is plain Node and never imports
 * electron, the UI or the other layers; renderer never imports Node modules and
 * reaches the engine only through type-only imports, the browser-safe api
 * contract and a few pure modules (listed below); preload exposes the
 * transport only. Runs inside `npm test`.
 * (No DOM in engine is enforced by tsconfig.json: its `lib` has no "DOM".)
 */
const BROWSER_SAFE_ENGINE = '(^|/)engine/(api/contract|api/wire|model/schema|model/time|export/presets|util/format-bytes|errors|audio/edit-pieces|audio/edited-peaks)\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'engine-no-electron',
      comment: 'engine/ runs in plain Node: no electron.',
      severity: 'error',
      from: { path: '(^|/)engine/' },
      to: { path: '(^|/)node_modules/electron/|^electron$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'engine-no-ui-or-hosts',
      comment: 'engine/ never imports main/, preload/, renderer/ or UI libraries.',
      severity: 'error',
      from: { path: '(^|/)engine/' },
      to: { path: '(^|/)(main|preload|renderer)/(?!node_modules/)|node_modules/(react|react-dom|react-konva|konva|wavesurfer\\.js|@reduxjs|react-redux)/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'renderer/ runs in a browser: no Node built-ins, no native modules.',
      severity: 'error',
      from: { path: '(^|/)renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-native-packages',
      severity: 'error',
      from: { path: '(^|/)renderer/' },
      to: { path: 'node_modules/(better-sqlite3|onnxruntime-node|@napi-rs|electron|ws|tsx|@ffmpeg-installer|@ffprobe-installer)/' },
    },
    {
      name: 'renderer-engine-types-only',
      comment: 'renderer/ may import engine types, and at run time only the browser-safe api contract.',
      severity: 'error',
      from: { path: '(^|/)renderer/' },
      to: { path: '(^|/)engine/', pathNot: BROWSER_SAFE_ENGINE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-safe-engine-stays-safe',
      comment: 'The engine files the renderer may load must not pull in Node.',
      severity: 'error',
      from: { path: BROWSER_SAFE_ENGINE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-transport-only',
      severity: 'error',
      from: { path: '(^|/)preload/' },
      to: { path: '(^|/)(engine|renderer|main)/(?!node_modules/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'one-project-writer',
      comment: 'Only the open ProjectSession writes project.klappe; template creation writes a brand-new one (DESIGN.md "One writer").',
      severity: 'error',
      from: { pathNot: '(^|/)engine/(api/project-session|cli/commands/new|model/templates?)\\.ts$' },
      to: { path: '(^|/)engine/model/project-writer\\.ts$' },
    },
    {
      name: 'no-circular-in-engine',
      severity: 'warn',
      from: { path: '(^|/)engine/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)test/fixtures/layer-ok' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
