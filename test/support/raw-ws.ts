/**
 * A WebSocket client written on a bare TCP socket, so a test can send frames
 * no well-behaved client sends (oversize, bad UTF-8, reserved opcodes,
 * unmasked) and read the close code the host answers with.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

export interface RawSocket {
  socket: Socket;
  /** Bytes the server sent after the handshake. */
  received(): Buffer;
  /** Resolves when the server closes the TCP connection. */
  ended: Promise<void>;
}

/** Opens /api?token=… with the given Origin; rejects unless the server answers 101. */
export function rawConnect(port: number, token: string, origin = `http://127.0.0.1:${port}`): Promise<RawSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let endedResolve: () => void;
    const ended = new Promise<void>((r) => {
      endedResolve = r;
    });
    socket.on('error', (e) => {
      endedResolve();
      if (!upgraded) reject(e);
    });
    socket.on('close', () => endedResolve());
    socket.on('connect', () => {
      socket.write(
        [
          `GET /api?token=${encodeURIComponent(token)} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          `Origin: ${origin}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString('latin1');
        if (!head.startsWith('HTTP/1.1 101')) {
          socket.destroy();
          reject(new Error(head.split('\r\n')[0]));
          return;
        }
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve({ socket, received: () => buf, ended });
      }
    });
  });
}

/** One frame: FIN set, the opcode, masked unless `masked: false`; `length` overrides the declared payload length. */
export function frame(
  opcode: number,
  payload: Buffer,
  opts: { masked?: boolean; length?: number; fin?: boolean; rsv?: number } = {},
): Buffer {
  const masked = opts.masked ?? true;
  const len = opts.length ?? payload.length;
  const first = ((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | (opcode & 0x0f);
  let header: Buffer;
  if (len < 126) header = Buffer.from([first, (masked ? 0x80 : 0) | len]);
  else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = first;
    header[1] = (masked ? 0x80 : 0) | 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] = body[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, body]);
}

/** The frames in what the server sent (unmasked, as servers send them). */
export function parseFrames(buf: Buffer): { opcode: number; payload: Buffer }[] {
  const out: { opcode: number; payload: Buffer }[] = [];
  let off = 0;
  while (off + 2 <= buf.length) {
    const opcode = buf[off]! & 0x0f;
    let len = buf[off + 1]! & 0x7f;
    let p = off + 2;
    if (len === 126) {
      if (p + 2 > buf.length) break;
      len = buf.readUInt16BE(p);
      p += 2;
    } else if (len === 127) {
      if (p + 8 > buf.length) break;
      len = Number(buf.readBigUInt64BE(p));
      p += 8;
    }
    if (p + len > buf.length) break;
    out.push({ opcode, payload: buf.subarray(p, p + len) });
    off = p + len;
  }
  return out;
}

/** The close code the server sent, if it sent a close frame. */
export function closeCode(buf: Buffer): number | undefined {
  const close = parseFrames(buf).find((f) => f.opcode === 8);
  return close && close.payload.length >= 2 ? close.payload.readUInt16BE(0) : undefined;
}
