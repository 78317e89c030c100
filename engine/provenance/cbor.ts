/** The little CBOR (RFC 8949) that COSE_Sign1 needs: encoding of ints, byte/text strings, arrays, maps, tags, null. */
export type CborValue = number | string | Uint8Array | null | CborValue[] | CborMap | CborTagged;
export class CborMap {
  constructor(readonly entries: Array<[number | string, CborValue]>) {}
}
export class CborTagged {
  constructor(
    readonly tag: number,
    readonly value: CborValue,
  ) {}
}

function head(major: number, n: number): number[] {
  if (n < 24) return [(major << 5) | n];
  if (n < 0x100) return [(major << 5) | 24, n];
  if (n < 0x10000) return [(major << 5) | 25, n >> 8, n & 0xff];
  if (n < 0x1_0000_0000) return [(major << 5) | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  throw new RangeError('CBOR length over 4 GiB');
}

function encodeInto(v: CborValue, parts: Uint8Array[]): void {
  if (v === null) parts.push(Uint8Array.of(0xf6));
  else if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new TypeError('CBOR: only integers');
    parts.push(Uint8Array.from(v >= 0 ? head(0, v) : head(1, -1 - v)));
  } else if (typeof v === 'string') {
    const b = new TextEncoder().encode(v);
    parts.push(Uint8Array.from(head(3, b.length)), b);
  } else if (v instanceof Uint8Array) parts.push(Uint8Array.from(head(2, v.length)), v);
  else if (Array.isArray(v)) {
    parts.push(Uint8Array.from(head(4, v.length)));
    for (const x of v) encodeInto(x, parts);
  } else if (v instanceof CborMap) {
    parts.push(Uint8Array.from(head(5, v.entries.length)));
    for (const [k, x] of v.entries) {
      encodeInto(k, parts);
      encodeInto(x, parts);
    }
  } else {
    parts.push(Uint8Array.from(head(6, v.tag)));
    encodeInto(v.value, parts);
  }
}

export function cborEncode(v: CborValue): Uint8Array {
  const parts: Uint8Array[] = [];
  encodeInto(v, parts);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
