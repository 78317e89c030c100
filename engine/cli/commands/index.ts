/**
 * Every `klappe` command, in the order `klappe --help` lists them. Each is
 * loaded only when it runs, so a command does not pay for the others' modules
 * (onnxruntime, the physics engine, the signer…).
 */
import type { CliCommand } from '../command.js';

export const COMMAND_LOADERS: Record<string, () => Promise<CliCommand>> = {
  new: async () => (await import('./new.js')).newCommand,
  info: async () => (await import('./info.js')).infoCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  generate: async () => (await import('./generate.js')).generateCommand,
  render: async () => (await import('./render.js')).renderCommand,
  verify: async () => (await import('./verify.js')).verifyCommand,
  identity: async () => (await import('./identity.js')).identityCommand,
  cameo: async () => (await import('./cameo.js')).cameoCommand,
  jobs: async () => (await import('./jobs.js')).jobsCommand,
  cost: async () => (await import('./cost.js')).costCommand,
  cache: async () => (await import('./cache.js')).cacheCommand,
  keys: async () => (await import('./keys.js')).keysCommand,
  farm: async () => (await import('./farm.js')).farmCommand,
  'api-keys': async () => (await import('./api-keys.js')).apiKeysCommand,
  import: async () => (await import('./import.js')).importCommand,
  line: async () => (await import('./line.js')).lineCommand,
  cast: async () => (await import('./cast.js')).castCommand,
  scene: async () => (await import('./scene.js')).sceneCommand,
  shot: async () => (await import('./shot.js')).shotCommand,
  captions: async () => (await import('./captions.js')).captionsCommand,
  timeline: async () => (await import('./timeline.js')).timelineCommand,
  script: async () => (await import('./script.js')).scriptCommand,
  speak: async () => (await import('./speak.js')).speakCommand,
  'parse-prompt': async () => (await import('./parse-prompt.js')).parsePromptCommand,
  models: async () => (await import('./models.js')).modelsCommand,
  enhance: async () => (await import('./enhance.js')).enhanceCommand,
  faces: async () => (await import('./faces.js')).facesCommand,
  safety: async () => (await import('./safety.js')).safetyCommand,
};

export async function loadAllCommands(): Promise<CliCommand[]> {
  return Promise.all(Object.values(COMMAND_LOADERS).map((load) => load()));
}
