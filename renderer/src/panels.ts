/**
 * Panels of the Edit screen below the timeline: a slot other parts of the
 * studio fill (the wavesurfer audio editor registers here) without changing
 * the layout code.
 */
import type { ComponentType } from 'react';

export interface EditPanel {
  id: string;
  label: string;
  component: ComponentType;
}

export const EDIT_PANELS: EditPanel[] = [];

export function registerEditPanel(panel: EditPanel): void {
  if (!EDIT_PANELS.some((p) => p.id === panel.id)) EDIT_PANELS.push(panel);
}
