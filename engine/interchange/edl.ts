/**
 * CMX3600 EDL export and import, through the OTIO form of the sequence
 * (otio.ts): export writes each track's clips as events (video tracks "V",
 * the others "A", "A2", …) with record times from 01:00:00:00, reel names
 * (8 characters), `* FROM CLIP NAME:` and `* SOURCE FILE:` comments, and
 * Klappe's own fields in a `* KLAPPE:` comment; import reads EDLs other tools
 * write (cuts, dissolves "D nnn", wipes, drop-frame ";" timecodes, M2 speed
 * lines, gaps between events) into the same OTIO form and then onto the
 * sequence, so the report and the one-undo-step rule are the same as OTIO's.
 */
import { inputError } from '../common/errors.js';
import { framesToTimecode, isDropFrameRate, rateToString, timecodeToFrames, type Rate } from '../common/time.js';
import type { Project } from '../model/schema.js';
import type { LooseJson } from './loose-json.js';
import { otioRange, otioTime, otioToCommands, sequenceToOtio, type OtioExportOptions, type OtioImport } from './otio.js';

type Obj = { [key: string]: LooseJson };

const RECORD_START_HOUR = 1;

function reelOf(url: string | undefined, fallback: string): string {
  const base = url ? decodeURIComponent(url.split('/').pop() ?? '').replace(/\.[^.]*$/, '') : fallback;
  return (
    base
      .toUpperCase()
      .replace(/[^A-Z0-9_]/g, '')
      .slice(0, 8) || 'AX'
  );
}

/** The sequence as a CMX3600 EDL. */
export function formatEdl(doc: Project, opts: OtioExportOptions): string {
  const rate = doc.sequence.rate;
  const drop = isDropFrameRate(rate);
  const tc = (f: number) => framesToTimecode(f, rate, { dropFrame: drop });
  const hour = RECORD_START_HOUR * 3600 * Math.round(rate.num / rate.den);
  const recordOffset = drop ? timecodeToFrames('01:00:00;00', rate) : hour;
  const otio = sequenceToOtio(doc, opts);
  const tracks = (otio.tracks as Obj).children as Obj[];
  const out = [
    `TITLE: ${doc.sequence.name.slice(0, 70)}`,
    `FCM: ${drop ? 'DROP FRAME' : 'NON-DROP FRAME'}`,
    `* KLAPPE TRACKS: ${JSON.stringify(tracks.map((t) => (t.metadata as Obj).klappe))}`,
    '',
  ];
  let n = 0;
  let audioN = 0;
  const frame = (v: LooseJson | undefined) => Math.round(Number((v as Obj | undefined)?.value ?? 0));
  for (const track of tracks) {
    const channel = track.kind === 'Video' ? 'V' : ++audioN === 1 ? 'A' : `A${audioN}`;
    const items = (track.children as Obj[]).filter((i) => ['Gap.1', 'Clip.2', 'Transition.1'].includes(String(i.OTIO_SCHEMA)));
    let at = 0;
    /**
     * A transition from the clip before: CMX starts a dissolve at the cut and has no "before the cut", so a centred one is
     * written from the cut with its whole length (Klappe's own re-import reads the exact one from the KLAPPE comment).
     */
    let incoming: { frames: number; code: string; reel: string; out: number; name: string } | undefined;
    items.forEach((item, i) => {
      if (item.OTIO_SCHEMA === 'Transition.1') return;
      const sr = item.source_range as Obj;
      const dur = frame(sr.duration);
      if (item.OTIO_SCHEMA === 'Gap.1') {
        at += dur;
        incoming = undefined;
        return;
      }
      const start = frame(sr.start_time);
      const ref = (item.media_references as Obj).DEFAULT_MEDIA as Obj;
      const url = typeof ref.target_url === 'string' ? ref.target_url : undefined;
      n++;
      const reel = ref.OTIO_SCHEMA === 'ExternalReference.1' ? reelOf(url, 'AX') : ref.OTIO_SCHEMA === 'GeneratorReference.1' ? 'BL' : 'AX';
      const num = String(n).padStart(3, '0');
      // the outgoing clip's zero-length event at the cut, then this clip dissolving in from there
      if (incoming)
        out.push(
          `${num}  ${incoming.reel.padEnd(8)} ${channel.padEnd(5)} C        ${tc(incoming.out)} ${tc(incoming.out)} ${tc(recordOffset + at)} ${tc(recordOffset + at)}`,
        );
      const code = incoming ? `${incoming.code.padEnd(4)} ${String(incoming.frames).padStart(3, '0')}` : 'C       ';
      out.push(
        `${num}  ${reel.padEnd(8)} ${channel.padEnd(5)} ${code} ${tc(start)} ${tc(start + dur)} ${tc(recordOffset + at)} ${tc(recordOffset + at + dur)}`,
      );
      // after a dissolve or wipe, as Avid and Premiere write it: FROM names the outgoing clip, TO this one
      if (incoming) out.push(`* FROM CLIP NAME: ${incoming.name}`, `* TO CLIP NAME: ${String(item.name ?? '')}`);
      else out.push(`* FROM CLIP NAME: ${String(item.name ?? '')}`);
      if (url) out.push(`* SOURCE FILE: ${url}`);
      // markers on the clip as Avid's locators, at their record timecode
      for (const m of (item.markers as Obj[] | undefined) ?? []) {
        const at0 = recordOffset + at + frame((m.marked_range as Obj).start_time) - start;
        out.push(`* LOC: ${tc(at0)} ${String(m.color ?? 'RED').padEnd(7)} ${String(m.name ?? '')}`);
      }
      const meta = (item.metadata as Obj).klappe as Obj;
      out.push(
        `* KLAPPE: ${JSON.stringify({ ...meta, track: (track.metadata as Obj).klappe, enabled: item.enabled, ref: ref.OTIO_SCHEMA })}`,
      );
      out.push('');
      at += dur;
      const next = items[i + 1];
      const t = next?.OTIO_SCHEMA === 'Transition.1' && items[i + 2]?.OTIO_SCHEMA === 'Clip.2' ? next : undefined;
      const kind = t ? String(((t.metadata as Obj | undefined)?.klappe as Obj | undefined)?.kind ?? 'dissolve') : '';
      incoming = t
        ? {
            frames: frame(t.in_offset) + frame(t.out_offset),
            code: kind === 'wipe' ? 'W001' : 'D',
            reel,
            out: start + dur,
            name: String(item.name ?? ''),
          }
        : undefined;
    });
  }
  return `${out.join('\n')}\n`;
}

interface EdlEvent {
  channel: string;
  reel: string;
  srcIn: number;
  srcOut: number;
  recIn: number;
  recOut: number;
  name?: string;
  file?: string;
  /** `* LOC: 01:00:01:14 RED     NAME` locators: record frame (absolute timecode), colour, name. */
  locators?: Array<{ rec: number; color: string; name: string; line: number }>;
  klappe?: Obj;
  transition?: string;
  transitionFrames?: number;
  /** The incoming clip's name from a transition's `* TO CLIP NAME:`. */
  toName?: string;
  line: number;
}

/** Locator colours Avid writes that Klappe's markers have. */
const EDL_COLORS = new Set(['red', 'green', 'blue', 'cyan', 'yellow', 'white', 'pink', 'purple', 'orange']);

/** Comment lines some tools write without the leading `*`. */
const COMMENT_WITHOUT_STAR = /^(FROM CLIP NAME|TO CLIP NAME|FROM CLIP|FROM FILE|SOURCE FILE|LOC):/i;

const EVENT =
  /^(\d{1,6})\s+(\S+)\s+(\S+)\s+(C|D|W\d{3}|K\s*B?|KO)\s+(\d{1,3}\s+)?(\d{2}:\d{2}:\d{2}[:;.]\d{2})\s+(\d{2}:\d{2}:\d{2}[:;.]\d{2})\s+(\d{2}:\d{2}:\d{2}[:;.]\d{2})\s+(\d{2}:\d{2}:\d{2}[:;.]\d{2})\s*$/;

/** Reads a CMX3600 EDL into the commands that put it on the sequence (see otio.ts). */
export function edlToCommands(doc: Project, text: string, opts: { file?: string; projectDir: string }): OtioImport {
  const file = opts.file ?? 'cut.edl';
  const rate: Rate = doc.sequence.rate;
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const events: EdlEvent[] = [];
  const notes: Array<{ path: string; what: string }> = [];
  let title = 'EDL';
  let klappeTracks: Obj[] = [];
  const frames = (s: string, line: number, column: number) => {
    try {
      return timecodeToFrames(s.replace('.', ':'), rate);
    } catch (e) {
      throw inputError('EDL_BAD_TIMECODE', `${file}:${line}:${column}: ${(e as Error).message}`, {
        file,
        path: `line ${line}, column ${column}`,
        hint: `An EDL does not name its frame rate: it is read at the project's (${rateToString(rate)} fps). Set the project to the EDL's rate, then import it again.`,
      });
    }
  };
  lines.forEach((raw, i) => {
    const l = raw.trim();
    const lineNo = i + 1;
    if (!l) return;
    if (l.startsWith('TITLE:')) title = l.slice(6).trim() || title;
    else if (l.startsWith('FCM:')) return;
    else if (l.startsWith('*') || COMMENT_WITHOUT_STAR.test(l)) {
      const c = l.replace(/^\*\s*/, '');
      if (/^KLAPPE TRACKS:/.test(c)) {
        try {
          klappeTracks = JSON.parse(c.slice(14)) as Obj[];
        } catch {
          notes.push({ path: `line ${lineNo}`, what: 'a KLAPPE TRACKS comment that is not JSON was ignored' });
        }
        return;
      }
      const last = events.at(-1);
      if (!last) return;
      // a dissolve or wipe's comments name both sides: FROM is the outgoing clip (the event before), TO the incoming
      const outgoing = last.transition ? events.at(-2) : undefined;
      // (a FROM alone after a transition names the incoming clip, as some tools write it)
      if (/^FROM CLIP NAME:/i.test(c)) last.name ??= c.replace(/^FROM CLIP NAME:\s*/i, '');
      else if (/^TO CLIP NAME:/i.test(c)) {
        if (outgoing && last.name !== undefined && last.toName === undefined) outgoing.name ??= last.name;
        last.name = last.toName = c.replace(/^TO CLIP NAME:\s*/i, '');
      }
      // Avid writes the source file as "FROM CLIP:", Nucoda as "FROM FILE:", others as "SOURCE FILE:"
      else if (/^(SOURCE FILE|FROM CLIP|FROM FILE):/i.test(c)) last.file = c.replace(/^(SOURCE FILE|FROM CLIP|FROM FILE):\s*/i, '');
      else if (/^LOC:/i.test(c)) {
        const m = /^LOC:\s*(\d{2}:\d{2}:\d{2}[:;.]\d{2})\s+(\w+)?\s*(.*)$/i.exec(c);
        if (m)
          (last.locators ??= []).push({
            rec: frames(m[1]!, lineNo, raw.indexOf(m[1]!) + 1),
            color: (m[2] ?? '').toLowerCase(),
            name: m[3]!.trim(),
            line: lineNo,
          });
        else
          notes.push({ path: `line ${lineNo}`, what: `a locator "${c.slice(0, 60)}" that is not "LOC: TIMECODE COLOUR NAME" was ignored` });
      } else if (/EFFECT/i.test(c))
        notes.push({ path: `line ${lineNo}`, what: `effect "${c.slice(0, 60)}" is not kept: the clip plays without it` });
      else if (/^KLAPPE:/.test(c)) {
        try {
          last.klappe = JSON.parse(c.slice(7)) as Obj;
        } catch {
          notes.push({ path: `line ${lineNo}`, what: 'a KLAPPE comment that is not JSON was ignored' });
        }
      }
    } else if (/^AUD\s/.test(l))
      notes.push({
        path: `line ${lineNo}`,
        what: `"${l}": the event's further audio channels are not kept apart: one clip on its audio track`,
      });
    else if (/^M2\s/.test(l))
      notes.push({ path: `line ${lineNo}`, what: `speed change "${l}" is not kept: the clip plays at normal speed` });
    else if (/^\d/.test(l)) {
      const m = EVENT.exec(l);
      if (!m)
        throw inputError(
          'EDL_BAD_EVENT',
          `${file}:${lineNo}:1: expected an event "001  REEL  V  C  00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00", found "${l.slice(0, 80)}"`,
          { file, path: `line ${lineNo}, column 1` },
        );
      const col = (k: number) => raw.indexOf(m[k]!) + 1;
      const ev: EdlEvent = {
        channel: m[3]!,
        reel: m[2]!,
        srcIn: frames(m[6]!, lineNo, col(6)),
        srcOut: frames(m[7]!, lineNo, col(7)),
        recIn: frames(m[8]!, lineNo, col(8)),
        recOut: frames(m[9]!, lineNo, col(9)),
        line: lineNo,
      };
      if (m[4] !== 'C') {
        ev.transition = m[4]!.replace(/\s+/g, '');
        ev.transitionFrames = m[5] ? Number(m[5].trim()) : 0;
        if (/^K/.test(ev.transition))
          notes.push({ path: `line ${lineNo}`, what: `key ${ev.transition} is not kept: the sequence cuts straight` });
        else if (/^W/.test(ev.transition) && ev.transition !== 'W001')
          notes.push({ path: `line ${lineNo}`, what: `wipe ${ev.transition} is kept as Klappe's wipe (left to right)` });
      }
      // a dissolve's outgoing "C" event of the same number and zero length is replaced by the incoming one
      const prev = events.at(-1);
      if (prev && prev.recIn === prev.recOut && ev.transition) events.pop();
      if (ev.recOut > ev.recIn) events.push(ev);
    } else notes.push({ path: `line ${lineNo}`, what: `unknown line "${l.slice(0, 60)}" ignored` });
  });
  if (!events.length)
    throw inputError('EDL_EMPTY', `${file}: no events found`, {
      file,
      hint: 'An EDL event line looks like "001  REEL  V  C  00:00:00:00 00:00:01:00 01:00:00:00 01:00:01:00".',
    });
  const drop = isDropFrameRate(rate);
  /** The hour a timecode is in (01:00:00:00 for 01:00:02;00): record times count from it; a source without Klappe's fields starts there. */
  const hourOf = (f: number) =>
    timecodeToFrames(`${framesToTimecode(f, rate, { dropFrame: drop }).slice(0, 2)}:00:00${drop ? ';' : ':'}00`, rate);
  // record times count from the hour of the first event; a cut that starts in the last minutes before an hour (Avid's
  // leader at 00:59:50:00 and the like) counts from its first event instead of placing it an hour in
  const firstRec = Math.min(...events.map((e) => e.recIn));
  const leader = timecodeToFrames(`00:10:00${drop ? ';' : ':'}00`, rate);
  const nextHour = hourOf(firstRec) + leader * 6;
  const base = nextHour - firstRec <= leader ? firstRec : hourOf(firstRec);
  if (base === firstRec && firstRec !== hourOf(firstRec))
    notes.push({
      path: `line ${events.find((e) => e.recIn === firstRec)!.line}`,
      what: `the cut starts at ${framesToTimecode(firstRec, rate, { dropFrame: drop })}, before the hour: that is frame 0`,
    });
  const fps = rate.num / rate.den;
  const rt = (v: number) => otioTime(v, fps);
  const range = (s: number, d: number) => otioRange(s, d, fps);
  // one OTIO track per channel (V, A, A2, …), or per Klappe track when the comments name one
  const tracks = new Map<string, { kind: string; meta?: Obj; events: EdlEvent[] }>();
  for (const meta of klappeTracks)
    if (typeof meta?.id === 'string') tracks.set(meta.id, { kind: meta.kind === 'video' ? 'Video' : 'Audio', meta, events: [] });
  for (const ev of events) {
    const kt = ev.klappe?.track as Obj | undefined;
    const key = typeof kt?.id === 'string' ? kt.id : ev.channel;
    const t = tracks.get(key) ?? { kind: /^V/.test(ev.channel) || ev.channel === 'B' ? 'Video' : 'Audio', meta: kt, events: [] };
    t.events.push(ev);
    tracks.set(key, t);
  }
  const children = [...tracks.values()].map((t) => {
    const items: Obj[] = [];
    let at = 0;
    for (const ev of [...t.events].sort((a, b) => a.recIn - b.recIn)) {
      const rec = ev.recIn - base;
      if (rec < at) {
        notes.push({ path: `line ${ev.line}`, what: 'an event overlapping the one before on its channel was skipped' });
        continue;
      }
      if (rec > at) items.push({ OTIO_SCHEMA: 'Gap.1', source_range: range(0, rec - at) });
      // a dissolve or wipe starts at the cut: the clip before plays on over it (OTIO: all of it after the cut)
      if (ev.transition && !/^K/.test(ev.transition) && rec === at && items.at(-1)?.OTIO_SCHEMA === 'Clip.2' && ev.transitionFrames)
        items.push({
          OTIO_SCHEMA: 'Transition.1',
          transition_type: ev.transition === 'D' ? 'SMPTE_Dissolve' : 'Custom_Transition',
          in_offset: rt(0),
          out_offset: rt(ev.transitionFrames),
          metadata: { klappe: { kind: ev.transition === 'D' ? 'dissolve' : 'wipe' } },
        });
      const { track: _t, enabled, ref, ...klappe } = ev.klappe ?? {};
      void _t;
      const url = ev.file ?? (ev.reel === 'BL' || ev.reel === 'BLACK' || ev.reel === 'AX' ? undefined : ev.reel);
      const avail = ev.klappe ? range(0, ev.srcOut) : range(hourOf(ev.srcIn), ev.srcOut - hourOf(ev.srcIn));
      const mediaRef: Obj =
        ref === 'MissingReference.1' || !url
          ? { OTIO_SCHEMA: 'MissingReference.1', available_range: avail }
          : { OTIO_SCHEMA: 'ExternalReference.1', target_url: url, available_range: avail };
      items.push({
        OTIO_SCHEMA: 'Clip.2',
        name: ev.name ?? ev.reel,
        source_range: range(ev.srcIn, ev.recOut - ev.recIn),
        enabled: enabled !== false,
        media_references: { DEFAULT_MEDIA: mediaRef },
        active_media_reference_key: 'DEFAULT_MEDIA',
        metadata: ev.klappe ? { klappe: klappe as LooseJson } : {},
        // locators as clip markers, in the clip's source time (its first frame is srcIn)
        markers: (ev.locators ?? []).map((loc) => ({
          OTIO_SCHEMA: 'Marker.2',
          name: loc.name,
          color: EDL_COLORS.has(loc.color) ? loc.color.toUpperCase() : 'RED',
          marked_range: range(ev.srcIn + loc.rec - ev.recIn, 0),
          comment: '',
          metadata: {},
        })),
      });
      at = rec + (ev.recOut - ev.recIn);
    }
    return {
      OTIO_SCHEMA: 'Track.1',
      name: (t.meta?.name as string) || '',
      kind: t.kind,
      children: items,
      metadata: t.meta ? { klappe: t.meta } : {},
    };
  });
  const otio = { OTIO_SCHEMA: 'Timeline.1', name: title, tracks: { OTIO_SCHEMA: 'Stack.1', children }, metadata: {} };
  const r = otioToCommands(doc, JSON.stringify(otio), { file, projectDir: opts.projectDir });
  r.report.approximated.unshift(...notes);
  return r;
}
