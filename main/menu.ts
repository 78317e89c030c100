/** Native menus built from the renderer's action list: the same names, labels and shortcuts as the keyboard and the palette. */
import type { MenuItemConstructorOptions } from 'electron';
import { ACTIONS, MENUS, toAccelerator, type ActionSpec } from '../engine/common/action-list.js';

export function buildMenuTemplate(
  runAction: (name: string) => void,
  actions: readonly ActionSpec[] = ACTIONS,
): MenuItemConstructorOptions[] {
  return MENUS.map((menu) => ({
    label: menu.label,
    submenu: actions
      .filter((a) => a.menu === menu.id)
      .map((a) => {
        const accelerator = toAccelerator(a.shortcut);
        // Single keys (Space, J, K, L, arrows) stay with the renderer so text fields keep them.
        const global = accelerator && (accelerator.includes('CmdOrCtrl') || accelerator.includes('Alt'));
        return { id: a.name, label: a.label, ...(global ? { accelerator } : {}), click: () => runAction(a.name) };
      }),
  }));
}
