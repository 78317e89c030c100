/**
 * ComfyUI workflow templates (API format JSON: `{nodeId: {class_type, inputs}}`).
 * A template marks what Klappe fills in with `$name` values: `$prompt`,
 * `$negativePrompt`, `$seed`, `$width`, `$height`, `$length` (frames), `$fps`,
 * `$shotId`, `$firstFrame` (an uploaded image name). A value that is exactly
 * `$name` is replaced by the typed value; `$name` inside a longer string is
 * replaced as text.
 */
import { readFileSync } from 'node:fs';
import { inputError } from '../../common/errors.js';
import { assetPath } from '../../util/paths.js';

export type Workflow = Record<string, { class_type: string; inputs: Record<string, unknown>; _meta?: { title?: string } }>;

export function defaultWorkflowPath(): string {
  return process.env.KLAPPE_COMFYUI_WORKFLOW || assetPath('comfyui', 'text-to-video.json');
}

export function loadWorkflow(file = defaultWorkflowPath()): Workflow {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw inputError('COMFYUI_WORKFLOW_BAD', `${file}: not a readable JSON workflow: ${(e as Error).message}`, {
      file,
      hint: 'Export the workflow from ComfyUI with "Save (API format)".',
    });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw inputError('COMFYUI_WORKFLOW_BAD', `${file}: a workflow is a JSON object of nodes`, { file });
  for (const [id, node] of Object.entries(raw as Record<string, unknown>)) {
    const n = node as { class_type?: unknown; inputs?: unknown };
    if (typeof n?.class_type !== 'string' || typeof n.inputs !== 'object') {
      throw inputError('COMFYUI_WORKFLOW_BAD', `${file}: node "${id}" has no class_type/inputs (is this the API format?)`, {
        file,
        path: id,
        hint: 'Export the workflow from ComfyUI with "Save (API format)".',
      });
    }
  }
  return raw as Workflow;
}

export function fillWorkflow(template: Workflow, values: Record<string, string | number>): Workflow {
  const fill = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = /^\$([A-Za-z]+)$/.exec(v);
      if (whole && whole[1]! in values) return values[whole[1]!];
      return v.replace(/\$([A-Za-z]+)/g, (m, name: string) => (name in values ? String(values[name]) : m));
    }
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(template) as Workflow;
}

/** True when the template uses `$name` somewhere. */
export function usesPlaceholder(template: Workflow, name: string): boolean {
  return JSON.stringify(template).includes(`"$${name}"`);
}
