/**
 * The signature of an ONNX graph (inputs and outputs with element types and
 * shapes, and the opset) read straight from the ModelProto with positional
 * reads: initializers and nodes are skipped by their length, never loaded, so
 * a multi-gigabyte transformer is checked in milliseconds without creating an
 * inference session (which would load every weight, and on a CPU may lack
 * fp16 kernels). The same fields onnxruntime-node reports as
 * `inputMetadata`/`outputMetadata`; test/inference/onnx-signature.test.ts
 * checks the two agree.
 *
 * Protobuf fields used (onnx.proto3): ModelProto graph=7, opset_import=8
 * (OperatorSetIdProto domain=1, version=2); GraphProto name=2, initializer=5
 * (TensorProto name=8), input=11, output=12; ValueInfoProto name=1, type=2;
 * TypeProto tensor_type=1 (elem_type=1, shape=2); TensorShapeProto dim=1
 * (dim_value=1, dim_param=2).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { KlappeError } from '../common/errors.js';

/** onnxruntime's names for TensorProto.DataType. */
const ELEM_TYPES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

/** A dimension: a fixed size, or the name of a dynamic axis ('' when unnamed). */
export type Dim = number | string;

export interface ValueSignature {
  name: string;
  /** onnxruntime's element type name (float32, float16, int64…), or 'unknown'. */
  type: string;
  /** Undefined when the graph does not say the rank. */
  shape?: Dim[];
}

export interface GraphSignature {
  graphName: string;
  /** Opset of the default domain ('' or 'ai.onnx'). */
  opset?: number;
  inputs: ValueSignature[];
  outputs: ValueSignature[];
}

interface Field {
  no: number;
  wire: number;
  /** varint value (wire 0). */
  value: number;
  /** payload range (wire 2). */
  start: number;
  end: number;
}

/** Reads protobuf fields from a file by position. */
class ProtoFile {
  private readonly buf = Buffer.alloc(16);
  constructor(
    private readonly fd: number,
    readonly size: number,
    private readonly path: string,
  ) {}

  private varint(pos: number): { value: number; next: number } {
    const n = readSync(this.fd, this.buf, 0, 10, pos);
    let value = 0;
    let mul = 1;
    for (let i = 0; i < n; i++) {
      const b = this.buf[i]!;
      value += (b & 0x7f) * mul;
      mul *= 128;
      if (!(b & 0x80)) return { value, next: pos + i + 1 };
    }
    throw this.bad(pos, 'a varint runs past the end');
  }

  bad(pos: number, what: string): KlappeError {
    return new KlappeError({
      code: 'ONNX_UNREADABLE',
      kind: 'input',
      message: `${this.path} is not a readable ONNX model (byte ${pos}: ${what})`,
      file: this.path,
      hint: 'Export the graph again; the file is damaged or not ONNX.',
    });
  }

  *fields(start: number, end: number): Generator<Field> {
    let pos = start;
    while (pos < end) {
      const tag = this.varint(pos);
      const no = Math.floor(tag.value / 8);
      const wire = tag.value & 7;
      pos = tag.next;
      if (no === 0) throw this.bad(pos, 'field number 0');
      if (wire === 0) {
        const v = this.varint(pos);
        yield { no, wire, value: v.value, start: pos, end: v.next };
        pos = v.next;
      } else if (wire === 2) {
        const len = this.varint(pos);
        const s = len.next;
        const e = s + len.value;
        if (e > end) throw this.bad(pos, 'a field runs past its message');
        yield { no, wire, value: len.value, start: s, end: e };
        pos = e;
      } else if (wire === 1) pos += 8;
      else if (wire === 5) pos += 4;
      else throw this.bad(pos, `wire type ${wire}`);
    }
  }

  string(f: Field): string {
    const b = Buffer.alloc(f.end - f.start);
    readSync(this.fd, b, 0, b.length, f.start);
    return b.toString('utf8');
  }
}

/** Reads the inputs, outputs and opset of the ONNX model at `path` (initializers listed as inputs are left out). */
export function readGraphSignature(path: string): GraphSignature {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new KlappeError({
      code: 'ONNX_MISSING',
      kind: 'input',
      message: `${path} is missing`,
      file: path,
      hint: 'Every graph of the pack must be present.',
      cause: e,
    });
  }
  try {
    const p = new ProtoFile(fd, fstatSync(fd).size, path);
    let graph: Field | undefined;
    let opset: number | undefined;
    for (const f of p.fields(0, p.size)) {
      if (f.no === 7 && f.wire === 2) graph = f;
      else if (f.no === 8 && f.wire === 2) {
        let domain = '';
        let version: number | undefined;
        for (const g of p.fields(f.start, f.end)) {
          if (g.no === 1 && g.wire === 2) domain = p.string(g);
          else if (g.no === 2 && g.wire === 0) version = g.value;
        }
        if (domain === '' || domain === 'ai.onnx') opset = version;
      }
    }
    if (!graph) throw p.bad(0, 'no graph');
    let graphName = '';
    const inputs: ValueSignature[] = [];
    const outputs: ValueSignature[] = [];
    const initializers = new Set<string>();
    for (const f of p.fields(graph.start, graph.end)) {
      if (f.wire !== 2) continue;
      if (f.no === 2) graphName = p.string(f);
      else if (f.no === 11) inputs.push(valueInfo(p, f));
      else if (f.no === 12) outputs.push(valueInfo(p, f));
      else if (f.no === 5) {
        for (const g of p.fields(f.start, f.end))
          if (g.no === 8 && g.wire === 2) {
            initializers.add(p.string(g));
            break;
          }
      }
    }
    return { graphName, ...(opset !== undefined ? { opset } : {}), inputs: inputs.filter((i) => !initializers.has(i.name)), outputs };
  } finally {
    closeSync(fd);
  }
}

function valueInfo(p: ProtoFile, f: Field): ValueSignature {
  let name = '';
  let type = 'unknown';
  let shape: Dim[] | undefined;
  for (const g of p.fields(f.start, f.end)) {
    if (g.no === 1 && g.wire === 2) name = p.string(g);
    else if (g.no === 2 && g.wire === 2)
      for (const tt of p.fields(g.start, g.end)) {
        if (tt.no !== 1 || tt.wire !== 2) continue;
        for (const t of p.fields(tt.start, tt.end)) {
          if (t.no === 1 && t.wire === 0) type = ELEM_TYPES[t.value] ?? `type${t.value}`;
          else if (t.no === 2 && t.wire === 2) {
            shape = [];
            for (const d of p.fields(t.start, t.end)) {
              if (d.no !== 1 || d.wire !== 2) continue;
              let dim: Dim = '';
              for (const x of p.fields(d.start, d.end)) {
                if (x.no === 1 && x.wire === 0) dim = x.value;
                else if (x.no === 2 && x.wire === 2) dim = p.string(x);
              }
              shape.push(dim);
            }
          }
        }
      }
  }
  return { name, type, ...(shape ? { shape } : {}) };
}

/** `name:type[d0,d1,…]`, as MANIFEST.md writes signatures. */
export function formatValue(v: ValueSignature): string {
  return `${v.name}:${v.type}${v.shape ? `[${v.shape.join(',')}]` : ''}`;
}
