/** Each timeline format's writer and reader (one table for the CLI and the studio). */
import type { TimelineFormatId } from '../common/timeline-formats.js';
import type { Project } from '../model/schema.js';
import { edlToCommands, formatEdl } from './edl.js';
import { fcpxmlToCommands, formatFcpxml } from './fcpxml.js';
import { formatOtio, otioToCommands, type OtioExportOptions, type OtioImport } from './otio.js';
import { formatXmeml, xmemlToCommands } from './xmeml.js';

export interface TimelineCodec {
  write: (doc: Project, opts: OtioExportOptions) => string;
  read: (doc: Project, text: string, opts: { file?: string; projectDir: string }) => OtioImport;
}

export const TIMELINE_CODECS: Record<TimelineFormatId, TimelineCodec> = {
  otio: { write: formatOtio, read: otioToCommands },
  fcpxml: { write: formatFcpxml, read: fcpxmlToCommands },
  xmeml: { write: formatXmeml, read: xmemlToCommands },
  edl: { write: formatEdl, read: edlToCommands },
};
