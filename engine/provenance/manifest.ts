/**
 * The C2PA manifest of an export: claim generator Klappe/<version>, the
 * actions (created by a trained model for generated shots, edited, watermarked),
 * a Klappe assertion with the backend/model of each take and the export id the
 * invisible watermark carries, and ingredients for imported media.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { currentTake, findShot, findTake } from '../model/lookup.js';
import type { Project, Take } from '../model/schema.js';
import { appRoot } from '../util/paths.js';
import { formatExportId } from './payload-code.js';

export const KLAPPE_ASSERTION = 'app.klappe.export';
export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
export const SOFT_BINDING_ALG = 'app.klappe.rivagan.v1';
export const COMPOSITE_WITH_TRAINED = 'http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia';

export function klappeVersion(): string {
  return (JSON.parse(readFileSync(`${appRoot()}/package.json`, 'utf8')) as { version: string }).version;
}

export interface ManifestInput {
  doc: Project;
  exportId: number;
  title: string;
  includePrompts?: boolean;
  visibleWatermark: boolean;
  invisibleWatermark: boolean;
  /** Assertions added as they are (label, data). */
  extraAssertions?: Array<{ label: string; data: Record<string, unknown> }>;
}

export interface TakeRecord {
  shotId: string;
  shot: string;
  takeId: string;
  backend: string;
  model: string;
  modelVersion?: string;
  seed: number;
  prompt?: string;
  /** What the take really cost (schema v4 takes made by the queue). */
  cost?: { usd: number; wallMs: number; billedSeconds?: number };
}

/** Takes the sequence shows, in sequence order, each once. */
export function takesInSequence(doc: Project): Take[] {
  const seen = new Map<string, Take>();
  for (const track of doc.sequence.tracks)
    for (const clip of track.clips) {
      const take =
        clip.source.type === 'shot'
          ? currentTake(doc, clip.source.shotId)
          : clip.source.type === 'take'
            ? findTake(doc, clip.source.takeId)
            : undefined;
      if (take && !seen.has(take.id)) seen.set(take.id, take);
    }
  return [...seen.values()];
}

function importedMedia(doc: Project) {
  const used = new Set<string>();
  for (const track of doc.sequence.tracks) for (const clip of track.clips) if (clip.source.type === 'media') used.add(clip.source.mediaId);
  return (doc.media ?? []).filter((m) => used.has(m.id));
}

const MIME: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.flac': 'audio/flac',
  '.ogg': 'audio/ogg',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

export function buildManifest(input: ManifestInput): Record<string, unknown> {
  const { doc } = input;
  const version = klappeVersion();
  const takes: TakeRecord[] = takesInSequence(doc).map((t) => {
    const shot = findShot(doc, t.shotId)?.shot;
    return {
      shotId: t.shotId,
      shot: shot ? `${shot.number}${shot.name ? ` ${shot.name}` : ''}` : t.shotId,
      takeId: t.id,
      backend: t.backend,
      model: t.model,
      ...(t.modelVersion ? { modelVersion: t.modelVersion } : {}),
      seed: t.seed,
      ...(input.includePrompts && shot?.prompt ? { prompt: shot.prompt } : {}),
      ...(t.cost
        ? {
            cost: {
              usd: t.cost.usd,
              wallMs: t.cost.wallMs,
              ...(t.cost.billedSeconds !== undefined ? { billedSeconds: t.cost.billedSeconds } : {}),
            },
          }
        : {}),
    };
  });
  const costed = takes.filter((t) => t.cost);
  // what generating the takes this film shows cost, in US dollars (takes without a recorded cost are counted apart)
  const generationCost = costed.length
    ? {
        usd: Math.round(costed.reduce((s, t) => s + t.cost!.usd, 0) * 1e6) / 1e6,
        currency: 'USD',
        takes: costed.length,
        takesWithoutCost: takes.length - costed.length,
      }
    : undefined;
  const media = importedMedia(doc);
  const agent = { name: 'Klappe', version };
  const actions: Record<string, unknown>[] = [];
  if (takes.length) {
    actions.push({
      action: 'c2pa.created',
      digitalSourceType: TRAINED_ALGORITHMIC_MEDIA,
      softwareAgent: agent,
      description: `${takes.length} generated shot${takes.length > 1 ? 's' : ''}: ${[...new Set(takes.map((t) => `${t.backend}${t.model ? `/${t.model}` : ''}`))].join(', ')}`,
    });
  } else {
    actions.push({
      action: 'c2pa.created',
      digitalSourceType: media.length ? COMPOSITE_WITH_TRAINED : TRAINED_ALGORITHMIC_MEDIA,
      softwareAgent: agent,
    });
  }
  media.forEach((m, i) =>
    actions.push({ action: 'c2pa.placed', softwareAgent: agent, parameters: { ingredientIds: [`ingredient-${i}`] } }),
  );
  actions.push({ action: 'c2pa.edited', softwareAgent: agent, description: 'cut, mixed and rendered in Klappe' });
  if (input.invisibleWatermark) {
    actions.push({
      action: 'c2pa.watermarked',
      softwareAgent: agent,
      description: `invisible RivaGAN mark carrying export id ${formatExportId(input.exportId)}${input.visibleWatermark ? '; visible mark "Klappe · AI"' : ''}`,
    });
  }
  return {
    claim_generator_info: [agent],
    title: input.title,
    format: 'video/mp4',
    ingredients: media.map((m, i) => ({
      title: basename(m.path),
      format: MIME[extname(m.path).toLowerCase()] ?? 'application/octet-stream',
      relationship: 'componentOf',
      instance_id: `ingredient-${i}`,
      label: `ingredient-${i}`,
      ...(m.sha256 ? { metadata: { dataSource: { type: 'localProvider', details: `sha256:${m.sha256}` } } } : {}),
    })),
    assertions: [
      { label: 'c2pa.actions.v2', data: { actions } },
      ...(input.invisibleWatermark
        ? [
            {
              // the invisible watermark is the manifest's soft binding: it finds the manifest again when the file lost it
              label: 'c2pa.soft-binding',
              data: {
                alg: SOFT_BINDING_ALG,
                blocks: [{ scope: {}, value: Buffer.from(formatExportId(input.exportId), 'hex').toString('base64') }],
              },
            },
          ]
        : []),
      {
        label: KLAPPE_ASSERTION,
        data: {
          exportId: formatExportId(input.exportId),
          creator: doc.creator.name || undefined,
          project: doc.name,
          takes,
          ...(generationCost ? { generationCost } : {}),
          promptsIncluded: !!input.includePrompts,
          watermarks: {
            visible: input.visibleWatermark,
            invisible: input.invisibleWatermark ? { method: 'rivagan-onnx', payload: formatExportId(input.exportId) } : false,
          },
        },
      },
      ...(input.extraAssertions ?? []),
    ],
  };
}
