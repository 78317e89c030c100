/**
 * The layer rules (DESIGN.md "Layers"): engine is plain Node and never imports
 * electron, the UI or the other layers; renderer never imports Node modules and
 * reaches the engine only through type-only imports, engine/common/ and the api
 * contract (api/contract.ts, api/wire.ts: named below, they stay in api/);
 * preload exposes the transport only; main never imports renderer/. Runs
 * inside `npm test`; test/lint/layers.test.ts proves each rule fires.
 * (No DOM in engine is enforced by tsconfig.json: its `lib` has no "DOM".)
 *
 * The engine's folders, lowest first. A folder imports only folders before it
 * (type-only imports included), never one after it, and no import cycle:
 *   common      browser-safe pure modules the renderer loads too (errors, time,
 *               export presets, audio edit pieces, domain tables, actions)
 *   util        Node helpers (atomic files, paths, hashes, the LRU cache)
 *   model       the project document: schema, migrations, commands, templates
 *   media       ffmpeg/ffprobe discovery and processes
 *   secrets     API keys
 *   cache       SQLite index + content-addressed media store
 *   inference   onnxruntime sessions off the main thread, execution providers,
 *               memory budget; model packs (manifest, install, import, verify)
 *   render      sequence → render plan → ffmpeg graph; media sources; dialogue cues
 *   audio       speech, sfx, mixing, loudness, captions
 *   vision      faces (detection, landmarks, embeddings), enhance, latent decode
 *   provenance  watermarks, C2PA
 *   cameo       cameo library, verified recordings, signed consent records
 *   safety      moderation policy, opt-outs, likeness matching, decision log
 *   generate    backends (previz, slate, cloud) and the router
 *   export      a project → a file (render plan, audio, provenance); the takes
 *               it lacks are made by whoever calls it (makeMissingTakes)
 *   interchange other tools' files: captions, OpenTimelineIO, Fountain, FCPXML, xmeml, EDL
 *   jobs        the job queue (may run exports)
 *   api         the studio api and the project session
 *   host        the servers
 *   cli         the `klappe` commands
 * engine/common imports nothing from another engine folder at run time (types
 * of the document are fine) and no Node built-ins.
 */
const LAYERS = [
  'common',
  'util',
  'model',
  'media',
  'secrets',
  'cache',
  'inference',
  'render',
  'audio',
  'vision',
  'provenance',
  'cameo',
  'safety',
  'generate',
  'export',
  'interchange',
  'jobs',
  'api',
  'host',
  'cli',
];
const BROWSER_SAFE_ENGINE = '(^|/)engine/(common/|api/(contract|wire)\\.ts$)';
const NATIVE_PACKAGES = 'node_modules/(better-sqlite3|onnxruntime-node|@napi-rs|electron|ws|tsx|@ffmpeg-installer|@ffprobe-installer)/';

/**
 * Known upward imports, [folder, from, to] (from and to are regexes), reported
 * as warnings until their owner removes them; every other import of that file
 * is still checked. Keep this list empty.
 */
const KNOWN_VIOLATIONS = [];

const above = (layer) => `(^|/)engine/(${LAYERS.slice(LAYERS.indexOf(layer) + 1).join('|')})/`;
const layerRule = (layer, from, pathNotTo) => ({
  name: 'engine-layer-order',
  comment: `engine/${layer}/ sits below ${LAYERS.slice(LAYERS.indexOf(layer) + 1).join(', ')}: it may not import them (order in this file's header).`,
  severity: 'error',
  from,
  to: {
    path: above(layer),
    ...(pathNotTo ? { pathNot: pathNotTo } : {}),
    ...(layer === 'common' ? { dependencyTypesNot: ['type-only'] } : {}),
  },
});
const knownFrom = (layer) => KNOWN_VIOLATIONS.filter(([l]) => l === layer).map(([, from]) => from);
const layerOrder = [
  ...LAYERS.slice(0, -1).map((layer) =>
    layerRule(layer, { path: `(^|/)engine/${layer}/`, ...(knownFrom(layer).length ? { pathNot: knownFrom(layer).join('|') } : {}) }),
  ),
  ...KNOWN_VIOLATIONS.map(([layer, from, to]) => layerRule(layer, { path: from }, to)),
  ...KNOWN_VIOLATIONS.map(([, from, to]) => ({
    name: 'engine-layer-order-known-violation',
    comment: 'An upward import that is known and being removed (KNOWN_VIOLATIONS).',
    severity: 'warn',
    from: { path: from },
    to: { path: to },
  })),
];

module.exports = {
  forbidden: [
    ...layerOrder,
    {
      name: 'engine-folder-is-a-layer',
      comment: `Every engine module lives in one of the layer folders (${LAYERS.join(', ')}).`,
      severity: 'error',
      from: {},
      to: { path: '(^|/)engine/', pathNot: `(^|/)(engine/(${LAYERS.join('|')})/|node_modules/)` },
    },
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
      to: {
        path: '(^|/)(main|preload|renderer)/(?!node_modules/)|node_modules/(react|react-dom|react-konva|konva|wavesurfer\\.js|@reduxjs|react-redux)/',
      },
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
      to: { path: NATIVE_PACKAGES },
    },
    {
      name: 'renderer-engine-types-only',
      comment:
        'renderer/ may import engine types, and at run time only engine/common/ and the api contract (api/contract.ts, api/wire.ts).',
      severity: 'error',
      from: { path: '(^|/)renderer/' },
      to: { path: '(^|/)engine/', pathNot: BROWSER_SAFE_ENGINE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'browser-safe-engine-stays-safe',
      comment: 'The engine files the renderer may load must not pull in Node or native packages.',
      severity: 'error',
      from: { path: BROWSER_SAFE_ENGINE },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'browser-safe-engine-no-native-packages',
      severity: 'error',
      from: { path: BROWSER_SAFE_ENGINE },
      to: { path: NATIVE_PACKAGES },
    },
    {
      name: 'browser-safe-engine-imports-common-only',
      comment: 'At run time engine/common/ imports only engine/common/, and the api contract only engine/common/ and itself.',
      severity: 'error',
      from: { path: BROWSER_SAFE_ENGINE },
      to: { path: '(^|/)engine/', pathNot: BROWSER_SAFE_ENGINE, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'main-no-renderer',
      comment: 'main/ never imports renderer/: what both need (the action list) lives in engine/common/.',
      severity: 'error',
      from: { path: '(^|/)main/' },
      to: { path: '(^|/)renderer/(?!node_modules/)' },
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
      from: { pathNot: '(^|/)engine/(api/project-session|model/templates)\\.ts$' },
      to: { path: '(^|/)engine/model/project-writer\\.ts$' },
    },
    {
      name: 'no-circular-in-engine',
      comment: 'No import cycle inside the engine, within a folder either.',
      severity: 'error',
      from: { path: '(^|/)engine/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
