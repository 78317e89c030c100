/** Progress for the CLI: a redrawn bar on a TTY, a plain line every 10 % otherwise, nothing with --json. */
import type { CliIO } from './command.js';

export interface ProgressReporter {
  stage(text: string): void;
  update(fraction: number, etaSeconds?: number): void;
  done(): void;
}

export function createProgress(io: CliIO, json: boolean): ProgressReporter {
  let label = '';
  let lastDecile = -1;
  let drawn = false;
  const width = 30;
  return {
    stage(text) {
      if (json) return;
      if (drawn) process.stderr.write('\n');
      drawn = false;
      label = text;
      lastDecile = -1;
      if (!io.isTTY) io.err(text);
    },
    update(fraction, etaSeconds) {
      if (json) return;
      const pct = Math.max(0, Math.min(100, Math.floor(fraction * 100)));
      const eta = etaSeconds !== undefined && Number.isFinite(etaSeconds) ? ` ETA ${formatEta(etaSeconds)}` : '';
      if (io.isTTY) {
        const filled = Math.round((pct / 100) * width);
        process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}%${eta}   `);
        drawn = true;
      } else {
        const decile = Math.floor(pct / 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          io.err(`${label}: ${pct}%${eta}`);
        }
      }
    },
    done() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}
