/** Every `klappe` command, in the order `klappe --help` lists them. */
import type { CliCommand } from '../command.js';
import { cacheCommand } from './cache.js';
import { captionsCommand } from './captions.js';
import { generateCommand } from './generate.js';
import { identityCommand } from './identity.js';
import { importCommand } from './import.js';
import { infoCommand } from './info.js';
import { jobsCommand } from './jobs.js';
import { keysCommand } from './keys.js';
import { lineCommand } from './line.js';
import { newCommand } from './new.js';
import { parsePromptCommand } from './parse-prompt.js';
import { renderCommand } from './render.js';
import { serveCommand } from './serve.js';
import { speakCommand } from './speak.js';
import { verifyCommand } from './verify.js';

export const COMMANDS: CliCommand[] = [
  newCommand, infoCommand, serveCommand, generateCommand, renderCommand, verifyCommand, identityCommand, jobsCommand, cacheCommand, keysCommand,
  importCommand, lineCommand, captionsCommand, speakCommand, parsePromptCommand,
];
