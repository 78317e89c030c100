/**
 * Final Cut Pro 7 XML (xmeml, version 5; what Premiere Pro and DaVinci Resolve
 * also read and write) export and import.
 *
 * Export: one sequence with its rate (timebase + ntsc) and timecode (drop
 * frame for 29.97 and 59.94), video tracks bottom first and audio tracks,
 * clipitems with record start/end, source in/out and their file (written in
 * full once, then referenced by id), transitionitems between clips (Cross
 * Dissolve, Dip to Color Dissolve, Wipe; alignment from where the cut falls),
 * markers on clips and on the sequence, enabled FALSE for a disabled clip.
 * Klappe's own fields ride in a `klappe` attribute (other tools ignore
 * attributes they do not know), so export → import gives back the same
 * sequence.
 *
 * Import reads what Premiere and Final Cut 7 write: files referenced by id,
 * start/end of −1 next to a transition (the clip meets it at its cut point),
 * generatoritems (kept as missing media), nested sequences (kept as missing
 * media, reported), NTSC rates. It goes through the OTIO form of the cut
 * (otio.ts), so the commands, the report and the one-undo-step rule are the
 * same.
 */
import { basename } from 'node:path';
import { inputError } from '../common/errors.js';
import { isDropFrameRate, rateEquals, type Rate } from '../common/time.js';
import type { Clip, Marker, Project, Track, Transition } from '../model/schema.js';
import type { LooseJson } from './loose-json.js';
import { mediaReference, otioRange, otioTime, otioToCommands, type Obj, type OtioExportOptions, type OtioImport } from './otio.js';
import { child, childText, childrenNamed, findElement, formatXml, parseXmlRoot, type XmlElement, type XmlNode } from './xml.js';

const EFFECTS: Record<Transition['kind'], { name: string; category: string }> = {
  dissolve: { name: 'Cross Dissolve', category: 'Dissolve' },
  'dip-to-black': { name: 'Dip to Color Dissolve', category: 'Dissolve' },
  wipe: { name: 'Wipe', category: 'Wipe' },
};

const rateNode = (r: Rate): XmlNode => ({
  name: 'rate',
  children: [
    { name: 'timebase', text: String(Math.round(r.num / r.den)) },
    { name: 'ntsc', text: r.den === 1001 ? 'TRUE' : 'FALSE' },
  ],
});
const text = (name: string, value: string | number): XmlNode => ({ name, text: String(value) });
const rescale = (frames: number, from: Rate, to: Rate) =>
  rateEquals(from, to) ? frames : Math.round((frames * from.den * to.num) / (from.num * to.den));

// ---------------------------------------------------------------- export

/** The sequence as Final Cut Pro 7 XML. */
export function formatXmeml(doc: Project, opts: OtioExportOptions): string {
  const seq = doc.sequence;
  const rate = seq.rate;
  const files = new Map<string, string>();
  let clipN = 0;
  const total = Math.max(0, ...seq.tracks.flatMap((t) => t.clips.map((c) => c.recordStart + c.duration)));
  const markerNode = (m: Marker, at: number): XmlNode => ({
    name: 'marker',
    attrs: { klappe: JSON.stringify({ id: m.id, color: m.color }) },
    children: [text('name', m.name), text('comment', m.note), text('in', at), text('out', m.duration ? at + m.duration : -1)],
  });
  const fileNode = (clip: Clip, track: Track): XmlNode | undefined => {
    const ref = mediaReference(doc, clip, opts, rate.num / rate.den);
    if (ref.OTIO_SCHEMA !== 'ExternalReference.1' || typeof ref.target_url !== 'string') return undefined;
    const url = ref.target_url;
    const known = files.get(url);
    if (known) return { name: 'file', attrs: { id: known } };
    const id = `file-${files.size + 1}`;
    files.set(url, id);
    const mediaRate = clip.sourceRate ?? rate;
    const avail = (ref.available_range as Obj | null)?.duration as Obj | undefined;
    const frames = Math.max(
      typeof avail?.value === 'number' ? Math.round(avail.value) : 0,
      clip.sourceStart + rescale(clip.duration, rate, mediaRate),
    );
    return {
      name: 'file',
      attrs: { id },
      children: [
        text('name', decodeURIComponent(basename(url))),
        text('pathurl', url),
        rateNode(mediaRate),
        text('duration', frames),
        {
          name: 'media',
          children: [
            track.kind === 'video'
              ? {
                  name: 'video',
                  children: [{ name: 'samplecharacteristics', children: [text('width', seq.width), text('height', seq.height)] }],
                }
              : undefined,
            {
              name: 'audio',
              children: [
                { name: 'samplecharacteristics', children: [text('depth', 16), text('samplerate', 48000)] },
                text('channelcount', 2),
              ],
            },
          ],
        },
      ],
    };
  };
  const trackNode = (track: Track): XmlNode => {
    const items: XmlNode[] = [];
    const clips = [...track.clips].sort((a, b) => a.recordStart - b.recordStart);
    let at = 0;
    clips.forEach((clip, i) => {
      if (clip.recordStart < at) return;
      const file = fileNode(clip, track);
      const mediaRate = clip.sourceRate ?? rate;
      const inFrame = rescale(clip.sourceStart, mediaRate, rate);
      const { id, name, source, sourceStart, sourceRate, recordStart, duration, interchange, transitionOut, ...rest } = clip;
      void recordStart;
      void duration;
      void interchange;
      const line = clip.lineId ? doc.lines.find((l) => l.id === clip.lineId) : undefined;
      const own = {
        id,
        name,
        source,
        sourceStart,
        ...(sourceRate ? { sourceRate } : {}),
        ...(transitionOut ? { transitionOut } : {}),
        ...rest,
      };
      items.push({
        name: file ? 'clipitem' : 'generatoritem',
        attrs: { id: `clipitem-${++clipN}`, klappe: JSON.stringify(own) },
        children: [
          text('name', name || (line ? line.text.slice(0, 60) : id)),
          text('enabled', clip.muted ? 'FALSE' : 'TRUE'),
          text('duration', file ? inFrame + clip.duration : clip.duration),
          rateNode(rate),
          text('start', clip.recordStart),
          text('end', clip.recordStart + clip.duration),
          text('in', file ? inFrame : 0),
          text('out', (file ? inFrame : 0) + clip.duration),
          file ?? {
            name: 'effect',
            children: [text('name', 'Slug'), text('effectid', 'Slug'), text('effecttype', 'generator'), text('mediatype', 'video')],
          },
          ...seq.markers.filter((m) => m.clipId === clip.id).map((m) => markerNode(m, (file ? inFrame : 0) + m.frame - clip.recordStart)),
        ],
      });
      at = clip.recordStart + clip.duration;
      const next = clips[i + 1];
      if (transitionOut && next?.recordStart === at) {
        const { before, after } = transitionOut;
        items.push({
          name: 'transitionitem',
          children: [
            text('start', at - before),
            text('end', at + after),
            text('alignment', before === after ? 'center' : before === 0 ? 'start' : after === 0 ? 'end' : 'center'),
            rateNode(rate),
            {
              name: 'effect',
              children: [
                text('name', EFFECTS[transitionOut.kind].name),
                text('effectid', EFFECTS[transitionOut.kind].name),
                text('effectcategory', EFFECTS[transitionOut.kind].category),
                text('effecttype', 'transition'),
                text('mediatype', track.kind === 'video' ? 'video' : 'audio'),
              ],
            },
          ],
        });
      }
    });
    const { clips: _c, ...meta } = track;
    void _c;
    return {
      name: 'track',
      // `order`: the track's place in Klappe's list (xmeml keeps video and audio tracks apart)
      attrs: { klappe: JSON.stringify({ ...meta, order: seq.tracks.indexOf(track) }) },
      children: [...items, text('enabled', track.muted ? 'FALSE' : 'TRUE'), text('locked', 'FALSE')],
    };
  };
  const drop = isDropFrameRate(rate);
  const root: XmlNode = {
    name: 'xmeml',
    attrs: { version: 5 },
    children: [
      {
        name: 'sequence',
        attrs: { id: 'sequence-1', klappe: JSON.stringify({ id: seq.id }) },
        children: [
          text('name', seq.name),
          text('duration', total),
          rateNode(rate),
          {
            name: 'timecode',
            children: [
              rateNode(rate),
              text('string', drop ? '00:00:00;00' : '00:00:00:00'),
              text('frame', 0),
              text('displayformat', drop ? 'DF' : 'NDF'),
            ],
          },
          {
            name: 'media',
            children: [
              {
                name: 'video',
                children: [
                  {
                    name: 'format',
                    children: [
                      { name: 'samplecharacteristics', children: [rateNode(rate), text('width', seq.width), text('height', seq.height)] },
                    ],
                  },
                  ...seq.tracks.filter((t) => t.kind === 'video').map(trackNode),
                ],
              },
              { name: 'audio', children: [text('numOutputChannels', 2), ...seq.tracks.filter((t) => t.kind !== 'video').map(trackNode)] },
            ],
          },
          ...seq.markers.filter((m) => m.clipId === undefined).map((m) => markerNode(m, m.frame)),
        ],
      },
    ],
  };
  return formatXml(root, 'xmeml');
}

// ---------------------------------------------------------------- import

function rateOf(el: XmlElement | undefined): Rate | undefined {
  const r = child(el, 'rate');
  const base = Number(childText(r, 'timebase'));
  if (!r || !Number.isInteger(base) || base <= 0) return undefined;
  return (childText(r, 'ntsc') ?? '').toUpperCase() === 'TRUE' ? { num: base * 1000, den: 1001 } : { num: base, den: 1 };
}

function ownJson(el: XmlElement, notes: Array<{ path: string; what: string }>): Obj | undefined {
  const v = el.attrs.klappe;
  if (!v) return undefined;
  try {
    const o = JSON.parse(v) as unknown;
    return typeof o === 'object' && o !== null ? (o as Obj) : undefined;
  } catch {
    notes.push({ path: `line ${el.line}`, what: 'a klappe attribute that is not JSON was ignored' });
    return undefined;
  }
}

/** Reads Final Cut Pro 7 XML into the commands that put its cut on the sequence (through the OTIO form: see otio.ts). */
export function xmemlToCommands(doc: Project, source: string, opts: { file?: string; projectDir: string }): OtioImport {
  const file = opts.file ?? 'cut.xml';
  const root = parseXmlRoot(source, file, 'xmeml', {
    code: 'XMEML_NOT_XMEML',
    hint: 'Export from Premiere Pro or Resolve as "Final Cut Pro XML", or choose the right format.',
  });
  const notes: Array<{ path: string; what: string }> = [];
  const sequence = findElement(root, 'sequence');
  if (!sequence)
    throw inputError('XMEML_NO_SEQUENCE', `${file}: no <sequence> in the file`, { file, hint: 'Export a sequence, not a bin.' });
  const seqRate = rateOf(sequence) ?? doc.sequence.rate;
  const fps = seqRate.num / seqRate.den;
  const rt = (v: number, r = fps) => otioTime(v, r);
  const range = (s: number, d: number, r = fps) => otioRange(s, d, r);
  const num = (el: XmlElement, name: string): number => {
    const v = childText(el, name);
    const n = Number(v);
    if (v === undefined || v === '' || !Number.isFinite(n))
      throw inputError('XMEML_BAD_NUMBER', `${file}:${el.line}: <${el.name}> needs a number in <${name}>, found "${v ?? ''}"`, {
        file,
        path: `line ${el.line}`,
      });
    return Math.round(n);
  };
  const files = new Map<string, { url?: string; rate?: Rate; frames?: number; name?: string }>();
  const fileOf = (el: XmlElement | undefined) => {
    if (!el) return undefined;
    const id = el.attrs.id;
    if (el.children.length) {
      const f = {
        url: childText(el, 'pathurl'),
        rate: rateOf(el),
        frames: Number(childText(el, 'duration')) || undefined,
        name: childText(el, 'name'),
      };
      if (id) files.set(id, f);
      return f;
    }
    return id ? files.get(id) : undefined;
  };
  const media = child(sequence, 'media');
  const trackEls = [
    ...childrenNamed(child(media, 'video') ?? sequence, 'track').map((t) => ({ t, kind: 'Video' })),
    ...childrenNamed(child(media, 'audio') ?? sequence, 'track')
      // Premiere writes a stereo track as two "exploded" mono tracks with the same clips (index 0 and 1): the pair is one
      // track here, or its sound would play twice
      .filter((t) => {
        const index = Number(t.attrs.currentExplodedTrackIndex ?? 0);
        if (index > 0)
          notes.push({
            path: `line ${t.line}`,
            what: `channel ${index + 1} of a stereo track Premiere wrote as two tracks is kept with the first`,
          });
        return index === 0;
      })
      .map((t) => ({ t, kind: 'Audio' })),
  ];
  const colorOf = (m: XmlElement) => String(ownJson(m, notes)?.color ?? 'blue').toUpperCase();
  const seqMarkers = childrenNamed(sequence, 'marker').map((m) => markerOtio(m, num(m, 'in'), ownJson(m, notes)?.id));
  function markerOtio(m: XmlElement, at: number, id: LooseJson | undefined): Obj {
    const out = Number(childText(m, 'out') ?? -1);
    return {
      OTIO_SCHEMA: 'Marker.2',
      name: childText(m, 'name') ?? '',
      color: colorOf(m),
      comment: childText(m, 'comment') ?? '',
      marked_range: range(at, out >= 0 ? Math.max(0, out - num(m, 'in')) : 0),
      metadata: id !== undefined ? { klappe: { id } } : {},
    };
  }
  const tracks = trackEls.map(({ t, kind }, ti) => {
    const path = `line ${t.line}`;
    const meta = ownJson(t, notes);
    const items = t.children.filter((c) => ['clipitem', 'transitionitem', 'generatoritem'].includes(c.name));
    // transitions first: a clip's start or end of −1 meets one at its cut point
    const transitions = items
      .filter((c) => c.name === 'transitionitem')
      .map((c) => {
        const start = num(c, 'start');
        const end = num(c, 'end');
        const alignment = childText(c, 'alignment') ?? 'center';
        const cut =
          alignment === 'start' || alignment === 'start-black'
            ? start
            : alignment === 'end' || alignment === 'end-black'
              ? end
              : Math.round((start + end) / 2);
        const effect = childText(child(c, 'effect'), 'name') ?? '';
        return { el: c, start, end, cut, effect };
      });
    const children: Obj[] = [];
    let at = 0;
    let previousEnd = -1;
    for (const el of items) {
      if (el.name === 'transitionitem') continue;
      let start = num(el, 'start');
      let end = num(el, 'end');
      if (start < 0)
        start =
          transitions.find((x) => x.start <= previousEnd && x.end >= previousEnd)?.cut ??
          transitions.find((x) => x.end > (previousEnd < 0 ? 0 : previousEnd))?.cut ??
          previousEnd;
      if (end < 0) end = transitions.find((x) => x.start >= start)?.cut ?? start;
      if (end <= start) {
        notes.push({ path: `line ${el.line}`, what: 'a clip with no length was skipped' });
        continue;
      }
      for (const f of childrenNamed(el, 'filter')) {
        const effect = child(f, 'effect');
        const name = childText(effect, 'name') ?? childText(effect, 'effectid') ?? 'an effect';
        const speed = childrenNamed(effect ?? f, 'parameter').find((p) => childText(p, 'parameterid') === 'speed');
        notes.push({
          path: `line ${f.line}`,
          what: `effect "${name}"${speed ? ` (speed ${childText(speed, 'value') ?? '?'})` : ''} is not kept: the clip plays without it`,
        });
      }
      if (start < at) {
        notes.push({ path: `line ${el.line}`, what: 'a clip overlapping the one before on its track was skipped' });
        continue;
      }
      if (start > at) children.push({ OTIO_SCHEMA: 'Gap.1', source_range: range(0, start - at) });
      const own = ownJson(el, notes);
      const f = el.name === 'clipitem' ? fileOf(child(el, 'file')) : undefined;
      if (el.name === 'clipitem' && child(el, 'sequence'))
        notes.push({ path: `line ${el.line}`, what: 'a nested sequence is kept as a missing media clip' });
      if (el.name === 'generatoritem' && !own)
        notes.push({
          path: `line ${el.line}`,
          what: `generator "${childText(child(el, 'effect'), 'name') ?? ''}" has no media: kept as a missing media clip`,
        });
      const clipRate = rateOf(el) ?? seqRate;
      const inFrame = rescale(Number(childText(el, 'in') ?? 0) || 0, clipRate, seqRate);
      const kStart = typeof own?.sourceStart === 'number' ? own.sourceStart : undefined;
      const kRate = own?.sourceRate as Rate | undefined;
      const mediaRate = kStart !== undefined && kRate ? kRate : seqRate;
      const mediaFps = mediaRate.num / mediaRate.den;
      const length = end - start;
      const markers = childrenNamed(el, 'marker').map((m) =>
        markerOtio(
          m,
          rescale(num(m, 'in'), clipRate, seqRate) - inFrame + rescale(kStart ?? inFrame, mediaRate, seqRate),
          ownJson(m, notes)?.id,
        ),
      );
      children.push({
        OTIO_SCHEMA: 'Clip.2',
        name: childText(el, 'name') ?? '',
        source_range: range(kStart ?? inFrame, rateEquals(mediaRate, seqRate) ? length : (length * mediaFps) / fps, mediaFps),
        enabled: (childText(el, 'enabled') ?? 'TRUE').toUpperCase() !== 'FALSE',
        markers,
        media_references: {
          DEFAULT_MEDIA: f?.url
            ? {
                OTIO_SCHEMA: 'ExternalReference.1',
                target_url: f.url,
                available_range: range(0, f.frames ?? (kStart ?? inFrame) + length, mediaFps),
              }
            : { OTIO_SCHEMA: 'MissingReference.1', name: childText(el, 'name') ?? '' },
        },
        active_media_reference_key: 'DEFAULT_MEDIA',
        metadata: own ? { klappe: own as LooseJson } : {},
      });
      // a transition whose cut is this clip's end joins it to the next clip
      const tr = transitions.find((x) => x.cut === end);
      if (tr) {
        const kind = /wipe/i.test(tr.effect) ? 'wipe' : /dip|colou?r|black/i.test(tr.effect) ? 'dip-to-black' : 'dissolve';
        if (!/dissolve|wipe|dip/i.test(tr.effect))
          notes.push({ path: `line ${tr.el.line}`, what: `transition "${tr.effect}" is kept as a dissolve` });
        children.push({
          OTIO_SCHEMA: 'Transition.1',
          name: tr.effect,
          transition_type: kind === 'dissolve' ? 'SMPTE_Dissolve' : 'Custom_Transition',
          in_offset: rt(tr.cut - tr.start),
          out_offset: rt(tr.end - tr.cut),
          metadata: { klappe: { kind } },
        });
      }
      at = end;
      previousEnd = end;
    }
    const enabled = (childText(t, 'enabled') ?? 'TRUE').toUpperCase() !== 'FALSE';
    if (!meta && !enabled) notes.push({ path, what: `track ${ti + 1} is disabled: imported muted` });
    return {
      OTIO_SCHEMA: 'Track.1',
      name: (meta?.name as string) || t.attrs['MZ.TrackName'] || '',
      kind,
      enabled,
      children,
      metadata: meta ? { klappe: meta } : {},
    };
  });
  // Klappe's own track order when every track names its place
  const order = (t: { metadata: { klappe?: Obj } }) => Number(t.metadata.klappe?.order);
  if (tracks.every((t) => Number.isInteger(order(t)))) tracks.sort((a, b) => order(a) - order(b));
  const otio = {
    OTIO_SCHEMA: 'Timeline.1',
    name: childText(sequence, 'name') ?? 'Sequence',
    tracks: { OTIO_SCHEMA: 'Stack.1', children: tracks, markers: seqMarkers },
    metadata: {},
  };
  const r = otioToCommands(doc, JSON.stringify(otio), { file, projectDir: opts.projectDir });
  r.report.approximated.unshift(...notes);
  return r;
}
