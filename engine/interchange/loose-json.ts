/**
 * JSON as OpenTimelineIO writes it: standard JSON plus bare `Inf`, `-Inf`,
 * `Infinity`, `-Infinity` and `NaN`, and integers beyond 2^53 (read as the
 * nearest number: they appear in metadata, never in times). A syntax
 * error names the file, line and column and what was expected.
 */
import { inputError } from '../common/errors.js';

export type LooseJson = null | boolean | number | string | LooseJson[] | { [key: string]: LooseJson };

export function parseLooseJson(text: string, file = 'input.json'): LooseJson {
  let i = 0;
  const src = text.replace(/^\uFEFF/, '');
  const where = (at: number) => {
    const before = src.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  };
  const fail = (expected: string): never => {
    const { line, column } = where(i);
    const found = i >= src.length ? 'the end of the file' : `"${src.slice(i, i + 12)}"`;
    throw inputError('BAD_JSON', `${file}:${line}:${column}: expected ${expected}, found ${found}`, {
      file,
      path: `line ${line}, column ${column}`,
      hint: 'The file is not valid (OpenTimelineIO) JSON.',
    });
  };
  const ws = () => {
    while (i < src.length && (src[i] === ' ' || src[i] === '\n' || src[i] === '\r' || src[i] === '\t')) i++;
  };
  const word = (w: string) => src.startsWith(w, i) && !/[A-Za-z0-9_]/.test(src[i + w.length] ?? '');
  const value = (): LooseJson => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      const out: Record<string, LooseJson> = {};
      ws();
      if (src[i] === '}') {
        i++;
        return out;
      }
      for (;;) {
        ws();
        if (src[i] !== '"') fail('a "key" in an object');
        const key = string();
        ws();
        if (src[i] !== ':') fail('":" after an object key');
        i++;
        out[key] = value();
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === '}') {
          i++;
          return out;
        }
        fail('"," or "}" in an object');
      }
    }
    if (c === '[') {
      i++;
      const out: LooseJson[] = [];
      ws();
      if (src[i] === ']') {
        i++;
        return out;
      }
      for (;;) {
        out.push(value());
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ']') {
          i++;
          return out;
        }
        fail('"," or "]" in an array');
      }
    }
    if (c === '"') return string();
    for (const [w, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['Inf', Infinity],
      ['-Inf', -Infinity],
      ['NaN', NaN],
    ] as const) {
      if (word(w)) {
        i += w.length;
        return v;
      }
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
    if (!m) return fail('a value (object, array, string, number, true, false, null, Inf, NaN)');
    i += m[0].length;
    return Number(m[0]);
  };
  const string = (): string => {
    const start = i;
    i++;
    let out = '';
    let from = i;
    for (;;) {
      const ch = src.charCodeAt(i);
      if (i >= src.length) {
        i = start;
        fail('a closing quote for this string');
      }
      if (ch === 34) {
        // "
        out += src.slice(from, i);
        i++;
        return out;
      }
      if (ch !== 92) {
        // not a backslash
        i++;
        continue;
      }
      out += src.slice(from, i);
      const e = src[i + 1];
      i += 2;
      if (e === 'u') {
        out += String.fromCharCode(parseInt(src.slice(i, i + 4), 16));
        i += 4;
      } else out += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[e ?? ''] ?? e ?? '';
      from = i;
    }
  };
  const v = value();
  ws();
  if (i < src.length) fail('the end of the file');
  return v;
}

/** JSON text with non-finite numbers written the way OpenTimelineIO does (`Inf`, `-Inf`, `NaN`). */
export function stringifyLooseJson(value: unknown): string {
  const marks: string[] = [];
  const text = JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) {
        marks.push(Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : '-Inf');
        return `\u0000nf${marks.length - 1}\u0000`;
      }
      return v;
    },
    4,
  );
  return text.replace(/"\\u0000nf(\d+)\\u0000"/g, (_a, n: string) => marks[Number(n)]!);
}
