/**
 * Final Cut Pro XML (FCPXML 1.9 and later; written as 1.10) export and import.
 *
 * Export: one format (the sequence's; one more per other media rate), one
 * asset per media file, and a project whose sequence's primary storyline is
 * the first video track (asset-clips, gaps, transitions between clips with
 * their offset before the cut, markers on their clips). The other tracks are
 * secondary storylines anchored at the start of the first element: video
 * tracks on lanes 1, 2, …, audio tracks on lanes −1, −2, …. A clip without a
 * file (a shot with no take, an unspoken line) is a gap with its name. Klappe's
 * own fields go in `<metadata><md key="com.klappe.…">` so export → import
 * gives back the same sequence.
 *
 * Import reads what Final Cut and other tools write: asset-clip, clip (with
 * its video/audio), ref-clip, sync-clip, mc-clip (their first media), video
 * and title (generators: kept as missing media), gap, transition, marker and
 * chapter-marker, anchored items on lanes (each lane a track), rational times
 * ("3003/30000s"), enabled="0". It goes through the OTIO form of the cut
 * (otio.ts), so the commands, the report and the one-undo-step rule are the
 * same.
 */
import { basename } from 'node:path';
import { inputError } from '../common/errors.js';
import { rateEquals, rateToString, type Rate } from '../common/time.js';
import type { Clip, Marker, Project, Track, Transition } from '../model/schema.js';
import type { LooseJson } from './loose-json.js';
import { mediaReference, otioRange, otioTime, otioToCommands, type Obj, type OtioExportOptions, type OtioImport } from './otio.js';
import { child, childrenNamed, findAll, formatXml, parseXmlRoot, type XmlElement, type XmlNode } from './xml.js';

const FCPXML_VERSION = '1.10';
const TRANSITION_NAMES: Record<Transition['kind'], string> = { dissolve: 'Cross Dissolve', 'dip-to-black': 'Fade To Color', wipe: 'Wipe' };

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** Frames at `rate` as FCPXML's rational seconds ("3003/30000s", "4s"). */
export function fcpTime(frames: number, rate: Rate): string {
  if (frames === 0) return '0s';
  let n = BigInt(frames) * BigInt(rate.den);
  let d = BigInt(rate.num);
  const g = gcd(n, d);
  n /= g;
  d /= g;
  return d === 1n ? `${n}s` : `${n}/${d}s`;
}

/** FCPXML rational seconds as frames at `rate` (nearest). */
function framesOf(value: string | undefined, rate: Rate, where: string, file: string): number {
  if (value === undefined || value === '') return 0;
  const m = /^(-?\d+)(?:\/(\d+))?s$/.exec(value.trim());
  if (!m || m[2] === '0')
    throw inputError('FCPXML_BAD_TIME', `${file}: ${where}: "${value}" is not a time like "3003/30000s" or "4s"`, { file, path: where });
  const num = BigInt(m[1]!) * BigInt(rate.num);
  const den = BigInt(m[2] ?? '1') * BigInt(rate.den);
  return Number((2n * num + (num < 0n ? -den : den)) / (2n * den));
}

// ---------------------------------------------------------------- export

/** The sequence as FCPXML. */
export function formatFcpxml(doc: Project, opts: OtioExportOptions): string {
  const seq = doc.sequence;
  const rate = seq.rate;
  const formats = new Map<string, { id: string; rate: Rate }>();
  const formatOf = (r: Rate) => {
    const key = rateToString(r);
    let f = formats.get(key);
    if (!f) formats.set(key, (f = { id: `r${formats.size + 1}`, rate: r }));
    return f.id;
  };
  formatOf(rate);
  const assets = new Map<string, { id: string; name: string; frames: number; rate: Rate; video: boolean }>();
  let nextId = 1;
  const assetOf = (clip: Clip, track: Track): string | undefined => {
    const ref = mediaReference(doc, clip, opts, rate.num / rate.den);
    if (ref.OTIO_SCHEMA !== 'ExternalReference.1' || typeof ref.target_url !== 'string') return undefined;
    const src = ref.target_url;
    const mediaRate = clip.sourceRate ?? rate;
    const avail = (ref.available_range as Obj | null)?.duration as Obj | undefined;
    const end = clip.sourceStart + Math.ceil((clip.duration * mediaRate.num * rate.den) / (mediaRate.den * rate.num));
    const a = assets.get(src) ?? { id: '', name: decodeURIComponent(basename(src)), frames: 0, rate: mediaRate, video: false };
    a.frames = Math.max(a.frames, end, typeof avail?.value === 'number' ? Math.round(avail.value) : 0);
    a.video ||= track.kind === 'video';
    if (!a.id) a.id = `a${nextId++}`;
    assets.set(src, a);
    formatOf(mediaRate);
    return a.id;
  };
  const md = (key: string, value: unknown): XmlNode => ({
    name: 'metadata',
    children: [{ name: 'md', attrs: { key: `com.klappe.${key}`, value: JSON.stringify(value) } }],
  });
  const markerNode = (m: Marker, start: number): XmlNode => ({
    name: 'marker',
    // a point marker lasts one frame in Final Cut
    attrs: { start: fcpTime(start, rate), duration: fcpTime(Math.max(1, m.duration), rate), value: m.name, note: m.note || undefined },
  });

  /** A track's items: clips (asset-clip, or a gap when there is no file), gaps and transitions, each with its record offset. */
  /** Where each clip or gap node sits: record frame, local start, length (for the sequence's markers). */
  const spans = new Map<XmlNode, { record: number; start: number; frames: number }>();
  const trackItems = (track: Track): XmlNode[] => {
    const items: XmlNode[] = [];
    let at = 0;
    const clips = [...track.clips].sort((a, b) => a.recordStart - b.recordStart);
    clips.forEach((clip, i) => {
      if (clip.recordStart < at) return;
      if (clip.recordStart > at) {
        const gap: XmlNode = {
          name: 'gap',
          attrs: { name: 'Gap', offset: fcpTime(at, rate), start: '0s', duration: fcpTime(clip.recordStart - at, rate) },
        };
        spans.set(gap, { record: at, start: 0, frames: clip.recordStart - at });
        items.push(gap);
      }
      const asset = assetOf(clip, track);
      const mediaRate = clip.sourceRate ?? rate;
      const sourceAt = (frame: number) => rescale(clip.sourceStart, mediaRate, rate) + frame - clip.recordStart;
      const start = asset ? rescale(clip.sourceStart, mediaRate, rate) : 0;
      const { id, name, source, sourceStart, sourceRate, recordStart, duration, interchange, transitionOut, ...rest } = clip;
      void interchange;
      const line = clip.lineId ? doc.lines.find((l) => l.id === clip.lineId) : undefined;
      const node: XmlNode = {
        name: asset ? 'asset-clip' : 'gap',
        attrs: {
          ...(asset ? { ref: asset } : {}),
          offset: fcpTime(clip.recordStart, rate),
          name: name || (line ? line.text.slice(0, 60) : id),
          start: asset ? fcpTime(clip.sourceStart, mediaRate) : '0s',
          duration: fcpTime(clip.duration, rate),
          ...(asset && track.kind !== 'video'
            ? { audioRole: track.kind === 'dialogue' ? 'dialogue' : track.kind === 'music' ? 'music' : 'effects' }
            : {}),
          enabled: clip.muted ? '0' : undefined,
        },
        children: [
          ...seq.markers
            .filter((m) => m.clipId === clip.id)
            .map((m) => markerNode(m, asset ? sourceAt(m.frame) : m.frame - clip.recordStart)),
          md('clip', {
            id,
            name,
            source,
            sourceStart,
            ...(sourceRate ? { sourceRate } : {}),
            ...(transitionOut ? { transitionOut } : {}),
            ...rest,
            markers: seq.markers.filter((m) => m.clipId === clip.id),
          }),
        ],
      };
      spans.set(node, { record: clip.recordStart, start, frames: clip.duration });
      items.push(node);
      at = clip.recordStart + clip.duration;
      const next = clips[i + 1];
      if (transitionOut && next?.recordStart === at)
        items.push({
          name: 'transition',
          attrs: {
            name: TRANSITION_NAMES[transitionOut.kind],
            offset: fcpTime(at - transitionOut.before, rate),
            duration: fcpTime(transitionOut.before + transitionOut.after, rate),
          },
        });
    });
    return items;
  };

  const videoTracks = seq.tracks.filter((t) => t.kind === 'video');
  const primary = videoTracks[0];
  const total = Math.max(1, ...seq.tracks.flatMap((t) => t.clips.map((c) => c.recordStart + c.duration)));
  const spineItems: XmlNode[] = primary
    ? trackItems(primary)
    : [{ name: 'gap', attrs: { name: 'Gap', offset: '0s', start: '0s', duration: fcpTime(total, rate) } }];
  if (!spineItems.length)
    spineItems.push({ name: 'gap', attrs: { name: 'Gap', offset: '0s', start: '0s', duration: fcpTime(total, rate) } });
  // the other tracks: storylines anchored where the first element's local time is record frame 0
  const anchor = spineItems[0]!;
  const anchorStart = String(anchor.attrs?.start ?? '0s');
  let up = 0;
  let down = 0;
  const storylines: XmlNode[] = [];
  for (const track of seq.tracks) {
    if (track === primary) continue;
    const lane = track.kind === 'video' ? ++up : -++down;
    const items = trackItems(track);
    if (!items.length) items.push({ name: 'gap', attrs: { name: 'Gap', offset: '0s', start: '0s', duration: fcpTime(1, rate) } });
    storylines.push({ name: 'spine', attrs: { lane, offset: anchorStart, name: track.name || track.id }, children: items });
  }
  // anchored items come before the anchor's own markers and metadata
  anchor.children = [...storylines, ...(anchor.children ?? [])];
  // the sequence's own markers on the primary storyline's element under them (Klappe reads them back as the sequence's)
  for (const m of seq.markers.filter((x) => x.clipId === undefined)) {
    const node = spineItems.find((n) => {
      const s = spans.get(n);
      return s && m.frame >= s.record && m.frame < s.record + s.frames;
    });
    const s = node && spans.get(node);
    if (node && s) node.children = [markerNode(m, s.start + m.frame - s.record), ...(node.children ?? [])];
  }
  let lanesUp = 0;
  let lanesDown = 0;
  const trackMeta = seq.tracks.map((track) => {
    const { clips, ...t } = track;
    void clips;
    return { ...t, lane: track === primary ? 0 : track.kind === 'video' ? ++lanesUp : -++lanesDown };
  });
  const root: XmlNode = {
    name: 'fcpxml',
    attrs: { version: FCPXML_VERSION },
    children: [
      {
        name: 'resources',
        children: [
          ...[...formats.values()].map((f) => ({
            name: 'format',
            attrs: {
              id: f.id,
              name: `Klappe ${seq.width}x${seq.height} ${rateToString(f.rate)}`,
              frameDuration: fcpTime(1, f.rate),
              width: seq.width,
              height: seq.height,
            },
          })),
          ...[...assets.entries()].map(([src, a]) => ({
            name: 'asset',
            attrs: {
              id: a.id,
              name: a.name,
              start: '0s',
              duration: fcpTime(a.frames, a.rate),
              hasVideo: a.video ? '1' : '0',
              hasAudio: '1',
              format: formatOf(a.rate),
            },
            children: [{ name: 'media-rep', attrs: { kind: 'original-media', src } }],
          })),
        ],
      },
      {
        name: 'library',
        children: [
          {
            name: 'event',
            attrs: { name: doc.name },
            children: [
              {
                name: 'project',
                attrs: { name: seq.name },
                children: [
                  {
                    name: 'sequence',
                    attrs: { format: 'r1', duration: fcpTime(total, rate), tcStart: '0s', tcFormat: 'NDF' },
                    children: [
                      { name: 'spine', children: spineItems },
                      {
                        name: 'metadata',
                        children: [
                          { name: 'md', attrs: { key: 'com.klappe.tracks', value: JSON.stringify(trackMeta) } },
                          {
                            name: 'md',
                            attrs: { key: 'com.klappe.markers', value: JSON.stringify(seq.markers.filter((m) => m.clipId === undefined)) },
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  };
  return formatXml(root, 'fcpxml');
}

function rescale(frames: number, from: Rate, to: Rate): number {
  return rateEquals(from, to) ? frames : Math.round((frames * from.den * to.num) / (from.num * to.den));
}

// ---------------------------------------------------------------- import

interface Placed {
  lane: number;
  record: number;
  item: Obj;
}

const CLIP_ELEMENTS = new Set(['asset-clip', 'clip', 'ref-clip', 'sync-clip', 'mc-clip', 'video', 'audio', 'title']);

/** Reads FCPXML into the commands that put its cut on the sequence (through the OTIO form: see otio.ts). */
export function fcpxmlToCommands(doc: Project, text: string, opts: { file?: string; projectDir: string }): OtioImport {
  const file = opts.file ?? 'cut.fcpxml';
  const root = parseXmlRoot(text, file, 'fcpxml', {
    code: 'FCPXML_NOT_FCPXML',
    hint: 'Export the timeline from Final Cut Pro (File → Export XML), or choose the right format.',
  });
  const notes: Array<{ path: string; what: string }> = [];
  const version = root.attrs.version ?? '';
  if (version && Number(version.split('.')[1]) < 9)
    notes.push({ path: 'fcpxml', what: `FCPXML ${version} is older than 1.9: read as 1.9` });
  const resources = child(root, 'resources');
  const formats = new Map<string, Rate>();
  for (const f of childrenNamed(resources ?? root, 'format')) {
    const fd = f.attrs.frameDuration;
    const m = fd ? /^(\d+)(?:\/(\d+))?s$/.exec(fd) : null;
    if (f.attrs.id && m) formats.set(f.attrs.id, { num: Number(m[2] ?? 1), den: Number(m[1]) });
  }
  const assets = new Map<string, { src?: string; name: string; rate?: Rate; start: string; duration: string }>();
  const effects = new Map<string, string>();
  const media = new Map<string, XmlElement>();
  for (const a of resources?.children ?? []) {
    if (a.name === 'asset' && a.attrs.id)
      assets.set(a.attrs.id, {
        src: child(a, 'media-rep')?.attrs.src ?? a.attrs.src,
        name: a.attrs.name ?? a.attrs.id,
        rate: a.attrs.format ? formats.get(a.attrs.format) : undefined,
        start: a.attrs.start ?? '0s',
        duration: a.attrs.duration ?? '0s',
      });
    else if (a.name === 'effect' && a.attrs.id) effects.set(a.attrs.id, a.attrs.name ?? a.attrs.id);
    else if (a.name === 'media' && a.attrs.id) media.set(a.attrs.id, a);
  }
  // the cut is a project's sequence (a compound clip's <media> in the resources holds a sequence too: not the cut)
  const projects = findAll(root, 'project');
  const project = projects.find((p) => child(p, 'sequence'));
  const sequence = project
    ? child(project, 'sequence')
    : root.children.filter((c) => c.name !== 'resources').flatMap((c) => (c.name === 'sequence' ? [c] : findAll(c, 'sequence')))[0];
  if (!sequence)
    throw inputError(
      'FCPXML_NO_SEQUENCE',
      `${file}: no <project> with a <sequence> in the file (it holds clips or events only; a compound clip's sequence is not a cut)`,
      {
        file,
        hint: 'Export a project (timeline), not only an event or clips: select the project in Final Cut Pro, then File → Export XML.',
      },
    );
  if (projects.length > 1)
    notes.push({
      path: `line ${project!.line}`,
      what: `the file holds ${projects.length} projects: the first, "${project!.attrs.name ?? ''}", was imported`,
    });
  const seqRate = (sequence.attrs.format && formats.get(sequence.attrs.format)) || doc.sequence.rate;
  const spine = child(sequence, 'spine');
  if (!spine)
    throw inputError('FCPXML_NO_SPINE', `${file}:${sequence.line}: the sequence has no <spine>`, { file, path: `line ${sequence.line}` });
  const t = (v: string | undefined, el: XmlElement, attr: string) => framesOf(v, seqRate, `line ${el.line}, ${el.name} ${attr}`, file);
  const kmd = (el: XmlElement, key: string): unknown => {
    const m = childrenNamed(child(el, 'metadata') ?? el, 'md').find((x) => x.attrs.key === `com.klappe.${key}`);
    if (!m?.attrs.value) return undefined;
    try {
      return JSON.parse(m.attrs.value);
    } catch {
      notes.push({ path: `line ${m.line}`, what: `com.klappe.${key} is not JSON: ignored` });
      return undefined;
    }
  };
  const rate = seqRate.num / seqRate.den;
  const rt = (v: number, r = rate) => otioTime(v, r);
  const range = (s: number, d: number, r = rate) => otioRange(s, d, r);
  const placed: Placed[] = [];
  const seqMarkers: Obj[] = [];
  const ownMarkers = (kmd(sequence, 'markers') as Marker[] | undefined) ?? undefined;

  /** The asset an element plays: its own ref, or the first media inside a clip/sync-clip/mc-clip. */
  const assetRef = (el: XmlElement): { id?: string; el: XmlElement } => {
    if (el.name === 'asset-clip' || ((el.name === 'video' || el.name === 'audio') && el.attrs.ref && assets.has(el.attrs.ref)))
      return { id: el.attrs.ref, el };
    for (const c of el.children) if (CLIP_ELEMENTS.has(c.name) && !c.attrs.lane) return assetRef(c);
    // Final Cut's expanded audio: <clip lane="-1"><gap><audio lane="-1" ref="…"/></gap></clip>
    for (const g of el.children.filter((c) => c.name === 'gap'))
      for (const c of g.children)
        if ((c.name === 'audio' || c.name === 'video') && c.attrs.ref && assets.has(c.attrs.ref)) return { id: c.attrs.ref, el: c };
    return { el };
  };

  /** Walks a storyline: `origin` is the record frame where its local time `localStart` falls. */
  const walk = (items: XmlElement[], lane: number, origin: number, localStart: number) => {
    let last: Obj | undefined;
    let lastEnd = 0;
    for (const el of items) {
      if (el.name === 'transition') {
        const offset = origin + t(el.attrs.offset, el, 'offset') - localStart;
        const dur = t(el.attrs.duration, el, 'duration');
        const before = Math.max(0, lastEnd - offset);
        if (last && lastEnd >= offset)
          placed.push({
            lane,
            // placed at its start, so that a clip the file puts over it (at the same offset) sorts after it
            record: offset,
            item: {
              OTIO_SCHEMA: 'Transition.1',
              name: el.attrs.name ?? '',
              transition_type: /dissolve/i.test(el.attrs.name ?? '') ? 'SMPTE_Dissolve' : 'Custom_Transition',
              in_offset: rt(before),
              out_offset: rt(Math.max(0, dur - before)),
              metadata: {
                klappe: {
                  kind: /wipe/i.test(el.attrs.name ?? '')
                    ? 'wipe'
                    : /colou?r|black/i.test(el.attrs.name ?? '')
                      ? 'dip-to-black'
                      : 'dissolve',
                },
              },
            },
          });
        else notes.push({ path: `line ${el.line}`, what: 'a transition with no clip before it is not kept' });
        continue;
      }
      if (el.name === 'spine' && el.attrs.lane === undefined) {
        notes.push({ path: `line ${el.line}`, what: 'a nested storyline was flattened onto its parent' });
        walk(el.children, lane, origin + t(el.attrs.offset, el, 'offset') - localStart, 0);
        continue;
      }
      if (el.name !== 'gap' && !CLIP_ELEMENTS.has(el.name)) {
        if (!['marker', 'chapter-marker', 'metadata', 'note', 'keyword', 'rating'].includes(el.name))
          notes.push({ path: `line ${el.line}`, what: `<${el.name}> is not kept` });
        continue;
      }
      const record = origin + t(el.attrs.offset, el, 'offset') - localStart;
      const start = t(el.attrs.start, el, 'start');
      const duration = t(el.attrs.duration, el, 'duration');
      const km = kmd(el, 'clip') as Obj | undefined;
      // anchored items: lanes of their own, in this element's local time
      for (const c of el.children) {
        if (c.attrs.lane === undefined) continue;
        const l = Number(c.attrs.lane);
        if (c.name === 'spine') walk(c.children, l, record + t(c.attrs.offset, c, 'offset') - start, 0);
        else walk([c], l, record, start);
      }
      /** This clip's markers at their record frames (the OTIO form wants them in source time: see below). */
      const clipMarkers: Array<{ at: number; marker: Obj }> = [];
      for (const m of el.children.filter((c) => c.name === 'marker' || c.name === 'chapter-marker')) {
        const at = record + t(m.attrs.start, m, 'start') - start;
        if (at < record || at >= record + duration) {
          notes.push({
            path: `line ${m.line}`,
            what: `marker "${m.attrs.value ?? ''}" lies outside the part of its clip in the cut: not kept`,
          });
          continue;
        }
        // Klappe's own markers (kept in its metadata) come back exactly: the sequence's, or this clip's
        const near = (o: Marker) => Math.abs(o.frame - at) <= 1 && o.name === (m.attrs.value ?? '');
        const ownClip = Array.isArray(km?.markers) ? (km.markers as unknown as Marker[]).find(near) : undefined;
        const own = ownClip ?? ownMarkers?.find(near);
        const frame = own ? own.frame : at;
        const marker: Obj = {
          OTIO_SCHEMA: 'Marker.2',
          name: m.attrs.value ?? '',
          color: own ? own.color.toUpperCase() : m.name === 'chapter-marker' ? 'ORANGE' : 'BLUE',
          marked_range: range(frame, own ? own.duration : pointOrLength(t(m.attrs.duration, m, 'duration'))),
          comment: own ? own.note : (m.attrs.note ?? ''),
          metadata: (own ? { klappe: { id: own.id } } : {}) as Obj,
        };
        // a gap's markers (and Klappe's own sequence markers) belong to the sequence
        if ((own && !ownClip) || (el.name === 'gap' && !km)) seqMarkers.push(marker);
        else clipMarkers.push({ at: frame, marker });
      }
      if (el.name === 'gap' && !km) {
        placed.push({ lane, record, item: { OTIO_SCHEMA: 'Gap.1', source_range: range(0, duration) } });
        last = undefined;
        lastEnd = record + duration;
        continue;
      }
      const { id: assetId, el: mediaEl } = assetRef(el);
      const asset = assetId ? assets.get(assetId) : undefined;
      if (el.name !== 'asset-clip' && el.name !== 'gap' && mediaEl !== el && mediaEl.name !== 'asset-clip' && asset)
        notes.push({ path: `line ${el.line}`, what: `a <${el.name}> is imported as its first media (${asset.name})` });
      if (!asset && el.name !== 'gap')
        notes.push({
          path: `line ${el.line}`,
          what: `<${el.name}>${el.attrs.ref && effects.has(el.attrs.ref) ? ` (${effects.get(el.attrs.ref)})` : ''} has no media file: kept as a missing media clip`,
        });
      // the source in the media's own rate when it has one (the clip then counts its source frames in it); Klappe's own
      // fields give the exact first frame and rate
      const kStart = typeof km?.sourceStart === 'number' ? km.sourceStart : undefined;
      const kRate = isObjRate(km?.sourceRate) ? km.sourceRate : undefined;
      const mediaRate = kStart !== undefined ? (kRate ?? seqRate) : (asset?.rate ?? seqRate);
      const assetRate = rateEquals(mediaRate, seqRate) ? undefined : mediaRate;
      const srcRate = mediaRate.num / mediaRate.den;
      const srcStart = kStart ?? (assetRate ? framesOf(el.attrs.start, assetRate, `line ${el.line}, start`, file) : start);
      const availStart = asset ? framesOf(asset.start, mediaRate, `line ${el.line}, asset start`, file) : 0;
      const availDur = asset ? framesOf(asset.duration, mediaRate, `line ${el.line}, asset duration`, file) : 0;
      const item: Obj = {
        OTIO_SCHEMA: 'Clip.2',
        name: el.attrs.name ?? asset?.name ?? '',
        source_range: range(srcStart, assetRate ? (duration * srcRate) / rate : duration, srcRate),
        enabled: el.attrs.enabled !== '0',
        // in the source time of the OTIO clip: its first frame (at the sequence's rate, as otio.ts reads it) + the offset
        markers: clipMarkers.map(({ at, marker }) => {
          const first = Math.round((srcStart * seqRate.num * mediaRate.den) / (seqRate.den * mediaRate.num));
          const r = marker.marked_range as Obj;
          return { ...marker, marked_range: range(first + at - record, Number((r.duration as Obj).value)) };
        }),
        media_references: {
          DEFAULT_MEDIA: asset?.src
            ? { OTIO_SCHEMA: 'ExternalReference.1', target_url: asset.src, available_range: range(availStart, availDur, srcRate) }
            : { OTIO_SCHEMA: 'MissingReference.1', name: el.attrs.name ?? '', available_range: range(0, start + duration) },
        },
        active_media_reference_key: 'DEFAULT_MEDIA',
        metadata: km ? { klappe: km as LooseJson } : {},
      };
      placed.push({ lane, record, item });
      last = item;
      lastEnd = record + duration;
    }
  };
  walk(spine.children, 0, 0, 0);

  // one OTIO track per lane: the primary storyline first, then lanes above, then lanes below
  const trackMeta = (kmd(sequence, 'tracks') as Obj[] | undefined) ?? [];
  // Klappe's own track order where the file names it, else the primary storyline, lanes above, lanes below
  const laneKey = (l: number) => {
    const own = trackMeta.findIndex((m) => m.lane === l);
    return own >= 0 ? own : 1000 + (l === 0 ? 0 : l > 0 ? l : 500 - l);
  };
  const lanes = [...new Set(placed.map((p) => p.lane))].sort((a, b) => laneKey(a) - laneKey(b));
  const tracks = lanes.map((lane) => {
    const found = trackMeta.find((m) => m.lane === lane);
    const meta = found ? Object.fromEntries(Object.entries(found).filter(([k]) => k !== 'lane')) : undefined;
    const children: Obj[] = [];
    let at = 0;
    for (const p of placed.filter((x) => x.lane === lane).sort((a, b) => a.record - b.record)) {
      if (p.item.OTIO_SCHEMA === 'Transition.1') {
        children.push(p.item);
        continue;
      }
      if (p.item.OTIO_SCHEMA === 'Gap.1') continue;
      const sr = p.item.source_range as Obj;
      const dur = (sr.duration as Obj).value as number;
      const srcRate = (sr.duration as Obj).rate as number;
      const toSeq = rate / srcRate;
      if (
        p.record < at &&
        children.at(-1)?.OTIO_SCHEMA === 'Transition.1' &&
        p.item.OTIO_SCHEMA === 'Clip.2' &&
        (at - p.record) / toSeq < dur
      ) {
        // a clip placed over the transition into it (as some FCPXML writers do): its head under the transition is
        // trimmed, so it starts where the clip before ends and ends where the file puts it
        const cut = (at - p.record) / toSeq;
        p.item.source_range = range(((sr.start_time as Obj).value as number) + cut, dur - cut, srcRate);
        notes.push({
          path: `lane ${lane}`,
          what: `"${String(p.item.name ?? '')}" starts under the transition before it: its first ${at - p.record} frames are trimmed`,
        });
        p.record = at;
      }
      if (p.record < at) {
        notes.push({ path: `lane ${lane}`, what: `a clip overlapping the one before on lane ${lane} was skipped` });
        continue;
      }
      if (p.record > at && children.at(-1)?.OTIO_SCHEMA === 'Transition.1') {
        children.pop();
        notes.push({ path: `lane ${lane}`, what: `a transition into a gap at frame ${at} (a fade to black in Final Cut) is not kept` });
      }
      if (p.record > at) children.push({ OTIO_SCHEMA: 'Gap.1', source_range: range(0, p.record - at) });
      children.push(p.item);
      at =
        p.record +
        Math.round(
          Number(((p.item.source_range as Obj).duration as Obj).value) *
            (rate / Number(((p.item.source_range as Obj).duration as Obj).rate)),
        );
    }
    return {
      OTIO_SCHEMA: 'Track.1',
      name: (meta?.name as string) || `Lane ${lane}`,
      kind: lane < 0 ? 'Audio' : 'Video',
      children,
      metadata: meta ? { klappe: meta } : {},
    };
  });
  const otio = {
    OTIO_SCHEMA: 'Timeline.1',
    name: 'FCPXML',
    tracks: { OTIO_SCHEMA: 'Stack.1', children: tracks, markers: seqMarkers },
    metadata: {},
  };
  const r = otioToCommands(doc, JSON.stringify(otio), { file, projectDir: opts.projectDir });
  r.report.approximated.unshift(...notes);
  return r;
}

function isObjRate(v: unknown): v is Rate {
  return typeof v === 'object' && v !== null && typeof (v as Rate).num === 'number' && typeof (v as Rate).den === 'number';
}

/** Final Cut gives a point marker one frame: a marker of one frame or less is a point. */
function pointOrLength(frames: number): number {
  return frames <= 1 ? 0 : frames;
}
