/** Serves one cached media file over node:http with Range support (206 Partial Content). */
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRange, sniffContentType } from './byte-range.js';

export function sendMediaFile(req: IncomingMessage, res: ServerResponse, path: string): void {
  const size = statSync(path).size;
  const type = sniffContentType(path);
  const common = {
    'Content-Type': type,
    'Accept-Ranges': 'bytes',
    'Cache-Control': 'private, max-age=31536000, immutable',
    'X-Content-Type-Options': 'nosniff',
  };
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Range': `bytes */${size}` });
    res.end(req.method === 'HEAD' ? undefined : `range not satisfiable: ${req.headers.range} (the file has ${size} bytes)`);
    return;
  }
  if (range) {
    res.writeHead(206, {
      ...common,
      'Content-Range': `bytes ${range.start}-${range.end}/${size}`,
      'Content-Length': String(range.end - range.start + 1),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    stream(createReadStream(path, { start: range.start, end: range.end }), res);
    return;
  }
  res.writeHead(200, { ...common, 'Content-Length': String(size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  stream(createReadStream(path), res);
}

/** Pipes a file into the reply; a read error (the file was evicted after the check) ends that reply, never the host. */
function stream(file: ReadStream, res: ServerResponse): void {
  file.on('error', () => res.destroy());
  res.on('close', () => file.destroy());
  file.pipe(res);
}
