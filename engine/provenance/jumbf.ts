/**
 * Just enough JUMBF (ISO 19566-5) to find boxes in a C2PA manifest store by
 * label: each superbox (`jumb`) starts with a description box (`jumd`: type
 * uuid, toggles, label) followed by its content boxes.
 */
export interface JumbBox {
  label: string;
  /** Offset of the `jumb` box in the buffer. */
  offset: number;
  size: number;
  /** Content boxes after the description box: [type, offset, size]. */
  children: Array<{ type: string; offset: number; size: number }>;
}

/** The `jumb` superboxes directly inside [start, end). */
export function jumbBoxes(buf: Buffer, start: number, end: number): JumbBox[] {
  const out: JumbBox[] = [];
  for (let o = start; o + 8 <= end;) {
    const size = buf.readUInt32BE(o);
    if (size < 8 || o + size > end) break;
    if (buf.toString('latin1', o + 4, o + 8) === 'jumb') {
      const dsize = buf.readUInt32BE(o + 8);
      const d = o + 16; // jumd content: 16-byte type, toggles, label\0
      let e = d + 17;
      while (e < o + 8 + dsize && buf[e] !== 0) e++;
      const label = buf.toString('utf8', d + 17, e);
      const children: JumbBox['children'] = [];
      for (let c = o + 8 + dsize; c + 8 <= o + size;) {
        const cs = buf.readUInt32BE(c);
        if (cs < 8) break;
        children.push({ type: buf.toString('latin1', c + 4, c + 8), offset: c, size: cs });
        c += cs;
      }
      out.push({ label, offset: o, size, children });
    }
    o += size;
  }
  return out;
}

/** The superbox at a label path (`['c2pa', 'urn:…', 'c2pa.assertions', 'c2pa.hash.bmff.v3']`); a label ending in `*` matches its prefix. */
export function jumbAt(buf: Buffer, path: string[]): JumbBox | undefined {
  let start = 0;
  let end = buf.length;
  let found: JumbBox | undefined;
  for (const want of path) {
    found = jumbBoxes(buf, start, end).find((j) => (want.endsWith('*') ? j.label.startsWith(want.slice(0, -1)) : j.label === want));
    if (!found) return undefined;
    start = found.offset + 8;
    end = found.offset + found.size;
  }
  return found;
}
