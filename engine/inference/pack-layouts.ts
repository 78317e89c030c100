/**
 * The folder layouts `klappe models import` adopts, and the graph signatures
 * each must have. A signature that does not fit is refused with an error
 * naming the graph and the input (or output).
 *
 * Wan 2.1 T2V, the public ONNX layout (OnnxStack's Olive converter, optimum's
 * ORTPipelineForText2Video):
 *   text_encoder/model.onnx  input_ids int64 [B,L] → hidden states [B,L,D]
 *   transformer/model.onnx   hidden_states [1,C,F,H,W], timestep [1], encoder_hidden_states [1,L,D] → out_sample [1,C,F,H,W]
 *   vae_decoder/model.onnx   latent_sample [1,C,F,H,W] → frames [1,3,F',H',W']
 *   vae_encoder/model.onnx   (optional) frames → latent
 *   tokenizer/               tokenizer.json or spiece.model (UMT5)
 * TAEF2: an encoder image [B,3,h,w] → latent [B,32,h/8,w/8] and a decoder back.
 * Enhance ×3: one graph, luma [B,1,h,w] → [B,1,3h,3w].
 */
import { inputError, type KlappeError } from '../common/errors.js';
import { formatValue, type Dim, type GraphSignature, type ValueSignature } from './onnx-signature.js';
import type { FileRole, PackDefaults, PackLatent, PipelineKind } from './pack-manifest.js';

const FLOATS = ['float32', 'float16', 'bfloat16'];

export interface ValueRule {
  name?: string;
  types: readonly string[];
  rank: number;
  /** Fixed sizes some axes must have (where the graph fixes them). */
  dims?: Record<number, number>;
  optional?: boolean;
}

export interface GraphRule {
  /** The graph's name in messages and the manifest (text_encoder…). */
  graph: string;
  role: FileRole;
  /** Paths inside the folder where the graph may be, in order of preference. */
  paths: readonly string[];
  optional?: boolean;
  inputs: readonly ValueRule[];
  /** Outputs, matched by name when named, else by position. */
  outputs: readonly ValueRule[];
}

export interface PackLayout {
  kind: PipelineKind;
  licence: string;
  graphs: readonly GraphRule[];
  /** Folders of non-graph files with their role (the tokenizer). */
  folders?: ReadonlyArray<{ path: string; role: FileRole; required: boolean; anyOf?: readonly string[] }>;
  defaults: PackDefaults;
}

export const WAN_LAYOUT: PackLayout = {
  kind: 'wan2.1-t2v',
  licence: 'Apache-2.0',
  graphs: [
    {
      graph: 'text_encoder',
      role: 'text_encoder',
      paths: ['text_encoder/model.onnx'],
      inputs: [
        { name: 'input_ids', types: ['int64', 'int32'], rank: 2 },
        { name: 'attention_mask', types: ['int64', 'int32'], rank: 2, optional: true },
      ],
      outputs: [{ types: FLOATS, rank: 3 }],
    },
    {
      graph: 'transformer',
      role: 'transformer',
      paths: ['transformer/model.onnx'],
      inputs: [
        { name: 'hidden_states', types: FLOATS, rank: 5, dims: { 0: 1 } },
        { name: 'timestep', types: [...FLOATS, 'int64'], rank: 1 },
        { name: 'encoder_hidden_states', types: FLOATS, rank: 3 },
      ],
      outputs: [{ name: 'out_sample', types: FLOATS, rank: 5 }],
    },
    {
      graph: 'vae_decoder',
      role: 'vae_decoder',
      paths: ['vae_decoder/model.onnx'],
      inputs: [{ name: 'latent_sample', types: FLOATS, rank: 5 }],
      outputs: [{ types: FLOATS, rank: 5, dims: { 1: 3 } }],
    },
    {
      graph: 'vae_encoder',
      role: 'vae_encoder',
      paths: ['vae_encoder/model.onnx'],
      optional: true,
      inputs: [{ types: FLOATS, rank: 5, dims: { 1: 3 } }],
      outputs: [{ types: FLOATS, rank: 5 }],
    },
  ],
  folders: [{ path: 'tokenizer', role: 'tokenizer', required: true, anyOf: ['tokenizer.json', 'spiece.model'] }],
  // Wan 2.1 T2V 1.3B as its authors run it at 480p.
  defaults: { steps: 50, guidance: 5, width: 832, height: 480, fps: 16, frames: 81, shift: 3 },
};

export const TAEF2_LAYOUT: PackLayout = {
  kind: 'taef2',
  licence: 'MIT',
  graphs: [
    {
      graph: 'latent_encoder',
      role: 'latent_encoder',
      paths: ['taef2_encoder.onnx', 'encoder/model.onnx', 'vae_encoder/model.onnx'],
      inputs: [{ types: FLOATS, rank: 4, dims: { 1: 3 } }],
      outputs: [{ types: FLOATS, rank: 4 }],
    },
    {
      graph: 'latent_decoder',
      role: 'latent_decoder',
      paths: ['taef2_decoder.onnx', 'decoder/model.onnx', 'vae_decoder/model.onnx'],
      inputs: [{ types: FLOATS, rank: 4 }],
      outputs: [{ types: FLOATS, rank: 4, dims: { 1: 3 } }],
    },
  ],
  defaults: {},
};

export const ENHANCE_LAYOUT: PackLayout = {
  kind: 'enhance-x3',
  licence: 'MIT',
  graphs: [
    {
      graph: 'upscaler',
      role: 'upscaler',
      paths: ['superres_subpixel_x3.onnx', 'model.onnx'],
      inputs: [{ types: ['float32'], rank: 4, dims: { 1: 1 } }],
      outputs: [{ types: ['float32'], rank: 4, dims: { 1: 1 } }],
    },
  ],
  defaults: {},
};

export const LAYOUTS: Record<PipelineKind, PackLayout> = {
  'wan2.1-t2v': WAN_LAYOUT,
  taef2: TAEF2_LAYOUT,
  'enhance-x3': ENHANCE_LAYOUT,
};

function signatureError(file: string, graph: string, what: string, hint: string): KlappeError {
  return inputError('PACK_GRAPH_SIGNATURE', `${graph} (${file}): ${what}`, { file, path: graph, hint });
}

function fitsDims(shape: Dim[], dims: Record<number, number> | undefined): number | undefined {
  for (const [axis, size] of Object.entries(dims ?? {})) {
    const d = shape[Number(axis)];
    if (typeof d === 'number' && d !== size) return Number(axis);
  }
  return undefined;
}

function checkValue(file: string, rule: GraphRule, side: 'input' | 'output', want: ValueRule, got: ValueSignature): void {
  const label = `${side} ${got.name}`;
  const hint = `Expected ${side} ${want.name ?? `#${rule.outputs.indexOf(want)}`}: ${want.types.join('|')} of rank ${want.rank}. Convert the model again with the Wan layout (OnnxStack.Converter/Wan, optimum-onnx).`;
  if (!want.types.includes(got.type))
    throw signatureError(file, rule.graph, `${label} is ${got.type}, expected ${want.types.join(' or ')}`, hint);
  if (got.shape && got.shape.length !== want.rank)
    throw signatureError(file, rule.graph, `${label} has rank ${got.shape.length} (${formatValue(got)}), expected ${want.rank}`, hint);
  const axis = got.shape ? fitsDims(got.shape, want.dims) : undefined;
  if (axis !== undefined)
    throw signatureError(
      file,
      rule.graph,
      `${label} has size ${got.shape![axis]} on axis ${axis} (${formatValue(got)}), expected ${want.dims![axis]}`,
      hint,
    );
}

/** Checks one graph's signature against its rule; throws naming the graph and the input or output. */
export function checkGraph(file: string, rule: GraphRule, sig: GraphSignature): void {
  for (const want of rule.inputs) {
    const got = want.name ? sig.inputs.find((i) => i.name === want.name) : sig.inputs[rule.inputs.indexOf(want)];
    if (!got) {
      if (want.optional) continue;
      throw signatureError(
        file,
        rule.graph,
        `has no input ${want.name ?? `#${rule.inputs.indexOf(want)}`} (its inputs: ${sig.inputs.map(formatValue).join(', ') || 'none'})`,
        'The graph does not have the Wan layout: convert it with OnnxStack.Converter/Wan or optimum-onnx.',
      );
    }
    checkValue(file, rule, 'input', want, got);
  }
  const known = new Set(rule.inputs.map((i) => i.name).filter(Boolean));
  if (rule.inputs.every((i) => i.name))
    for (const extra of sig.inputs)
      if (!known.has(extra.name))
        throw signatureError(
          file,
          rule.graph,
          `has an input ${extra.name} (${formatValue(extra)}) the pipeline does not feed`,
          `The pipeline feeds ${rule.inputs.map((i) => i.name).join(', ')}.`,
        );
  if (!rule.inputs.some((i) => i.name) && sig.inputs.length !== rule.inputs.length)
    throw signatureError(
      file,
      rule.graph,
      `has ${sig.inputs.length} inputs, expected ${rule.inputs.length}`,
      'Export the graph with one input.',
    );
  rule.outputs.forEach((want, i) => {
    const got = want.name ? sig.outputs.find((o) => o.name === want.name) : sig.outputs[i];
    if (!got)
      throw signatureError(
        file,
        rule.graph,
        `has no output ${want.name ?? `#${i}`} (its outputs: ${sig.outputs.map(formatValue).join(', ') || 'none'})`,
        'The graph does not have the Wan layout.',
      );
    checkValue(file, rule, 'output', want, got);
  });
}

const fixed = (d: Dim | undefined): number | undefined => (typeof d === 'number' && d > 0 ? d : undefined);

/** Cross-graph checks of the Wan layout (latent channels, text width) and the latent space it implies. */
export function checkWanGraphs(sigs: Map<string, { file: string; sig: GraphSignature }>): PackLatent {
  const tr = sigs.get('transformer')!;
  const vae = sigs.get('vae_decoder')!;
  const te = sigs.get('text_encoder')!;
  const hidden = tr.sig.inputs.find((i) => i.name === 'hidden_states')!;
  const latentIn = vae.sig.inputs.find((i) => i.name === 'latent_sample')!;
  const ehs = tr.sig.inputs.find((i) => i.name === 'encoder_hidden_states')!;
  const c1 = fixed(hidden.shape?.[1]);
  const c2 = fixed(latentIn.shape?.[1]);
  if (c1 && c2 && c1 !== c2)
    throw signatureError(
      vae.file,
      'vae_decoder',
      `input latent_sample has ${c2} channels, the transformer's hidden_states ${c1}`,
      'The decoder belongs to another model: use the vae_decoder converted with this transformer.',
    );
  const d1 = fixed(te.sig.outputs[0]?.shape?.[2]);
  const d2 = fixed(ehs.shape?.[2]);
  if (d1 && d2 && d1 !== d2)
    throw signatureError(
      tr.file,
      'transformer',
      `input encoder_hidden_states has width ${d2}, the text encoder's output ${d1}`,
      'The text encoder belongs to another model.',
    );
  return { channels: c1 ?? c2 ?? 16, spatialScale: 8, temporalScale: 4 };
}
