/** The editors' timeline formats Klappe reads and writes: id, file extension, name (browser-safe: the studio lists them). */
export const TIMELINE_FORMATS = [
  { id: 'otio', ext: '.otio', label: 'OpenTimelineIO (.otio)' },
  { id: 'fcpxml', ext: '.fcpxml', label: 'Final Cut Pro X (.fcpxml)' },
  { id: 'xmeml', ext: '.xml', label: 'Final Cut Pro 7 XML for Premiere and Resolve (.xml)' },
  { id: 'edl', ext: '.edl', label: 'CMX3600 EDL (.edl)' },
] as const;

export type TimelineFormatId = (typeof TIMELINE_FORMATS)[number]['id'];

export const TIMELINE_FORMAT_IDS = TIMELINE_FORMATS.map((f) => f.id) as [TimelineFormatId, ...TimelineFormatId[]];

/** The format a file name's extension names, if any. */
export function timelineFormatOfFile(name: string): TimelineFormatId | undefined {
  const lower = name.toLowerCase();
  return TIMELINE_FORMATS.find((f) => lower.endsWith(f.ext))?.id;
}
