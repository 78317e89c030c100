/**
 * Writes ONNX models (onnx.proto3: ModelProto, GraphProto, NodeProto,
 * TensorProto, ValueInfoProto, AttributeProto) as protobuf bytes, encoded by
 * hand: no protobuf package. Enough of the format for small graphs built in
 * code (the tiny test pack, graphs made for benchmarks): nodes with
 * attributes, initializers (inline or as external data, like converted Wan
 * packs store their weights), inputs and outputs with fixed or named (dynamic)
 * dimensions.
 *
 * Field numbers follow onnx/onnx.proto (IR version 9, opset 20 by default,
 * which onnxruntime-node 1.30 runs).
 */

/** Element types (TensorProto.DataType). */
export const ONNX_DATA_TYPE = {
  float32: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
  float16: 10,
} as const;
export type OnnxDataType = keyof typeof ONNX_DATA_TYPE;

export type TensorData = Float32Array | BigInt64Array | Int32Array | Uint16Array | Uint8Array | Int8Array;

export interface OnnxTensor {
  name: string;
  type: OnnxDataType;
  dims: number[];
  /** Raw little-endian values (float16 as Uint16Array bits, bool as Uint8Array). */
  data: TensorData;
}

export interface OnnxValueInfo {
  name: string;
  type: OnnxDataType;
  /** A number is a fixed dimension, a string a named dynamic one. */
  shape: Array<number | string>;
}

export type OnnxAttribute = { f: number } | { i: number } | { s: string } | { t: OnnxTensor } | { floats: number[] } | { ints: number[] };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, OnnxAttribute>;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers?: OnnxTensor[];
  doc?: string;
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Default 20. */
  opset?: number;
  /** Default 9. */
  irVersion?: number;
  producerName?: string;
  producerVersion?: string;
  /** Free-form metadata_props (key → value). */
  metadata?: Record<string, string>;
}

export interface EncodeOptions {
  /**
   * Store initializers of at least `minBytes` (default 1024) in one external
   * data file of this name (relative to the model file), as converted packs do.
   */
  externalDataFile?: string;
  minBytes?: number;
}

export interface EncodedModel {
  model: Uint8Array;
  /** The external data file's bytes, when `externalDataFile` was given. */
  externalData?: Uint8Array;
}

/** A growable protobuf output buffer. */
class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.len++] = Number(v);
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  int(field: number, value: number | bigint): void {
    this.tag(field, 0);
    this.varint(value);
  }

  float(field: number, value: number): void {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer).setFloat32(this.len, value, true);
    this.len += 4;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, 2);
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.len);
    this.len += value.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, write: (w: ProtoWriter) => void): void {
    const inner = new ProtoWriter();
    write(inner);
    this.bytes(field, inner.finish());
  }

  packedInts(field: number, values: number[]): void {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    this.bytes(field, inner.finish());
  }

  packedFloats(field: number, values: number[]): void {
    const f = new Float32Array(values);
    this.bytes(field, new Uint8Array(f.buffer, f.byteOffset, f.byteLength));
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function tensorBytes(t: OnnxTensor): Uint8Array {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count)
    throw new Error(`ONNX tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(', ')}] (${count} expected)`);
  return new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
}

interface External {
  file: string;
  minBytes: number;
  chunks: Uint8Array[];
  offset: number;
}

function writeTensor(w: ProtoWriter, t: OnnxTensor, external?: External): void {
  for (const d of t.dims) w.int(1, d); // dims (unpacked is valid proto3 input)
  w.int(2, ONNX_DATA_TYPE[t.type]);
  w.string(8, t.name);
  const raw = tensorBytes(t);
  if (external && raw.length >= external.minBytes) {
    // Aligned to 64 bytes like onnx's external data writer (mmap friendly).
    const pad = (64 - (external.offset % 64)) % 64;
    if (pad) external.chunks.push(new Uint8Array(pad));
    const offset = external.offset + pad;
    external.chunks.push(raw.slice());
    external.offset = offset + raw.length;
    const entry = (key: string, value: string) =>
      w.message(13, (e) => {
        e.string(1, key);
        e.string(2, value);
      });
    entry('location', external.file);
    entry('offset', String(offset));
    entry('length', String(raw.length));
    w.int(14, 1); // data_location = EXTERNAL
  } else {
    w.bytes(9, raw); // raw_data
  }
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, ONNX_DATA_TYPE[v.type]);
      tensor.message(2, (shape) => {
        for (const d of v.shape) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

// AttributeProto.AttributeType
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 };

function writeAttribute(w: ProtoWriter, name: string, a: OnnxAttribute): void {
  w.string(1, name);
  if ('f' in a) {
    w.float(2, a.f);
    w.int(20, ATTR.FLOAT);
  } else if ('i' in a) {
    w.int(3, a.i);
    w.int(20, ATTR.INT);
  } else if ('s' in a) {
    w.string(4, a.s);
    w.int(20, ATTR.STRING);
  } else if ('t' in a) {
    w.message(5, (t) => writeTensor(t, a.t));
    w.int(20, ATTR.TENSOR);
  } else if ('floats' in a) {
    w.packedFloats(7, a.floats);
    w.int(20, ATTR.FLOATS);
  } else {
    w.packedInts(8, a.ints);
    w.int(20, ATTR.INTS);
  }
}

function writeNode(w: ProtoWriter, n: OnnxNode, index: number): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name ?? `${n.op}_${index}`);
  w.string(4, n.op);
  for (const [name, a] of Object.entries(n.attributes ?? {})) w.message(5, (m) => writeAttribute(m, name, a));
  if (n.domain) w.string(7, n.domain);
}

function writeGraph(w: ProtoWriter, g: OnnxGraph, external?: External): void {
  g.nodes.forEach((n, i) => w.message(1, (m) => writeNode(m, n, i)));
  w.string(2, g.name);
  for (const t of g.initializers ?? []) w.message(5, (m) => writeTensor(m, t, external));
  if (g.doc) w.string(10, g.doc);
  for (const v of g.inputs) w.message(11, (m) => writeValueInfo(m, v));
  for (const v of g.outputs) w.message(12, (m) => writeValueInfo(m, v));
}

/** The model as ONNX protobuf bytes (and its external data, when asked). */
export function encodeOnnxModel(model: OnnxModel, options: EncodeOptions = {}): EncodedModel {
  const external: External | undefined = options.externalDataFile
    ? { file: options.externalDataFile, minBytes: options.minBytes ?? 1024, chunks: [], offset: 0 }
    : undefined;
  const w = new ProtoWriter();
  w.int(1, model.irVersion ?? 9);
  w.string(2, model.producerName ?? 'klappe');
  w.string(3, model.producerVersion ?? '1');
  w.message(7, (g) => writeGraph(g, model.graph, external));
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, model.opset ?? 20);
  });
  for (const [key, value] of Object.entries(model.metadata ?? {}))
    w.message(14, (m) => {
      m.string(1, key);
      m.string(2, value);
    });
  if (!external) return { model: w.finish() };
  const data = new Uint8Array(external.offset);
  let at = 0;
  for (const c of external.chunks) {
    data.set(c, at);
    at += c.length;
  }
  return { model: w.finish(), externalData: data };
}

/** A float32 tensor. */
export function floatTensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return { name, type: 'float32', dims, data: Float32Array.from(values) };
}

/** An int64 tensor (shapes, axes, indices). */
export function int64Tensor(name: string, dims: number[], values: ArrayLike<number>): OnnxTensor {
  return { name, type: 'int64', dims, data: BigInt64Array.from(Array.from(values, (v) => BigInt(v))) };
}
