/** Helpers for the end-to-end tests: where the host is, screenshots, the timeline's clip boxes. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';

export const SHOTS_DIR = 'test-results/screens';

export function hostInfo(): { url: string; port: number; token: string } {
  return JSON.parse(readFileSync(join(process.env.KLAPPE_E2E_HOME!, 'serve.json'), 'utf8'));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS_DIR, `${name}.png`) });
}

export async function clipBox(page: Page, clipId: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.evaluate((id) => (globalThis as any).__klappeTimeline.clipBox(id), clipId);
  if (!box) throw new Error(`clip ${clipId} is not on the timeline`);
  return box as { x: number; y: number; width: number; height: number };
}

/** The part of the timeline's tracks the user sees (page coordinates): the canvas clipped by the timeline's scrolling box, below the ruler (which stays on top). */
export async function visibleTimelineBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const canvas = doc.querySelector('.timeline-canvas canvas').getBoundingClientRect();
    const scroller = doc.querySelector('.timeline');
    const box = scroller.getBoundingClientRect();
    const ruler = doc.querySelector('.timeline .ruler-corner').getBoundingClientRect();
    const left = Math.max(canvas.left, box.left);
    const top = Math.max(canvas.top, box.top, ruler.bottom);
    const right = Math.min(canvas.right, box.left + scroller.clientWidth);
    const bottom = Math.min(canvas.bottom, box.top + scroller.clientHeight);
    return { x: left, y: top, width: Math.max(0, right - left), height: Math.max(0, bottom - top) };
  });
}

/** Whether `inner` lies within `outer` (to a pixel). */
export function within(
  inner: { x: number; y: number; width: number; height: number },
  outer: { x: number; y: number; width: number; height: number },
): boolean {
  return (
    inner.x >= outer.x - 1 &&
    inner.y >= outer.y - 1 &&
    inner.x + inner.width <= outer.x + outer.width + 1 &&
    inner.y + inner.height <= outer.y + outer.height + 1
  );
}

/** One api call the way a second client makes it (its own WebSocket); the result, or throws the api's error. */
export async function apiCall(page: Page, url: string, method: string, params: Record<string, unknown> = {}): Promise<any> {
  const reply = await page.evaluate(
    async ({ u, method, params }) => {
      const token = new URL(u).searchParams.get('token');
      const ws = new WebSocket(`ws://${(globalThis as any).location.host}/api?token=${token}`);
      await new Promise((r) => ws.addEventListener('open', r, { once: true }));
      const r = await new Promise<any>((resolve) => {
        ws.addEventListener('message', (e) => {
          const m = JSON.parse(String(e.data));
          if (m.id === 1) resolve(m);
        });
        ws.send(JSON.stringify({ id: 1, method, params }));
      });
      ws.close();
      return r;
    },
    { u: url, method, params },
  );
  if (reply.error) throw new Error(`${method}: ${JSON.stringify(reply.error)}`);
  return reply.result;
}

export async function docOf(page: Page, url: string): Promise<any> {
  // Reads the project through the api itself, the way a second client would.
  return page.evaluate(async (u) => {
    const token = new URL(u).searchParams.get('token');
    const ws = new WebSocket(`ws://${(globalThis as any).location.host}/api?token=${token}`);
    await new Promise((r) => ws.addEventListener('open', r, { once: true }));
    const reply = await new Promise<any>((resolve) => {
      ws.addEventListener('message', (e) => {
        const m = JSON.parse(String(e.data));
        if (m.id === 1) resolve(m);
      });
      ws.send(JSON.stringify({ id: 1, method: 'project.get', params: {} }));
    });
    ws.close();
    return reply.result?.doc;
  }, url);
}

/** Opens the studio at its home screen, whatever project an earlier test left open on the shared host. */
export async function openHome(page: Page, url: string): Promise<void> {
  await page.goto(url);
  // the studio first restores the project the host has open (if any); only then is the screen settled
  await page.locator('html[data-ready="true"]').waitFor({ state: 'attached', timeout: 30_000 });
  const home = page.getByRole('heading', { name: 'New project' });
  if (!(await home.isVisible())) await page.getByRole('button', { name: 'Home: projects' }).click();
  await home.waitFor({ state: 'visible', timeout: 20_000 });
}

/** A new project from a template through the Home screen; waits for its storyboard. */
export async function newProject(page: Page, name: string, template: 'two-scenes' | 'empty' = 'two-scenes'): Promise<void> {
  await openHome(page, hostInfo().url);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await page.getByRole('radio', { name: template === 'empty' ? /^Empty/i : /^Two scenes/ }).check();
  await page.getByRole('button', { name: 'Create project' }).click();
  await expect(page.getByRole('region', { name: /Scene 1/ })).toBeVisible();
}

/**
 * Heights (CSS px) of the audio editor's edited waveform (the layer drawn over
 * the faint original) at page x positions, read from wavesurfer's canvases;
 * null where no canvas is.
 */
export async function waveformHeights(page: Page, xs: number[]): Promise<Array<number | null>> {
  return page.evaluate((pageXs) => {
    const host = (globalThis as any).document.querySelector('[data-testid="audio-editor"] [data-testid="waveform"]');
    const shadow = host && [...host.querySelectorAll('*')].find((e: any) => e.shadowRoot)?.shadowRoot;
    const layers = shadow?.querySelectorAll('.canvases > div');
    const edited = layers?.[layers.length - 1];
    if (!edited) return pageXs.map(() => null);
    return pageXs.map((x) => {
      for (const c of edited.querySelectorAll('canvas')) {
        const r = c.getBoundingClientRect();
        if (x < r.left || x >= r.right) continue;
        const col = Math.floor(((x - r.left) * c.width) / r.width);
        const data: Uint8ClampedArray = c.getContext('2d').getImageData(col, 0, 1, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return (n * r.height) / c.height;
      }
      return null;
    });
  }, xs);
}

/** What the accessible-name audit reports for one control. */
export interface UnnamedControl {
  tag: string;
  id: string;
  className: string;
  role: string;
  name: string;
  why: string;
  html: string;
}

/**
 * Installs `globalThis.__klappeA11y` in the page: the accessible name of an
 * element (aria-labelledby, aria-label, <label for>, a wrapping <label>,
 * alt, text content for buttons, links and the roles named from content,
 * title) and an audit of every visible interactive element, shadow roots
 * included. A name must say something: not empty, not a lone character or a
 * symbol ("✕", "M").
 */
async function installA11y(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as any;
    if (g.__klappeA11y) return;
    const INTERACTIVE = [
      'button',
      'input:not([type="hidden"])',
      'select',
      'textarea',
      'a[href]',
      'summary',
      ...[
        'button',
        'tab',
        'radio',
        'checkbox',
        'slider',
        'menuitem',
        'menuitemcheckbox',
        'menuitemradio',
        'option',
        'switch',
        'link',
        'combobox',
        'textbox',
        'spinbutton',
        'searchbox',
        'treeitem',
        'application',
      ].map((r) => `[role="${r}"]`),
      '[tabindex]',
    ].join(', ');
    const FROM_CONTENT = new Set([
      'button',
      'a',
      'summary',
      'tab',
      'radio',
      'checkbox',
      'menuitem',
      'menuitemcheckbox',
      'menuitemradio',
      'option',
      'switch',
      'link',
      'treeitem',
    ]);
    const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
    const roleOf = (el: any): string =>
      el.getAttribute('role') ??
      (el.tagName === 'A'
        ? 'link'
        : el.tagName === 'INPUT'
          ? el.type === 'checkbox' || el.type === 'radio'
            ? el.type
            : el.type === 'range'
              ? 'slider'
              : 'textbox'
          : el.tagName.toLowerCase());
    /** Text of a subtree as a screen reader reads it: aria-hidden parts skipped, images by their alt, embedded controls left out. */
    const contentText = (node: any): string => {
      if (node.nodeType === 3) return node.textContent;
      if (node.nodeType !== 1) return '';
      if (node.getAttribute('aria-hidden') === 'true') return '';
      if (node.tagName === 'IMG') return node.getAttribute('alt') ?? '';
      if (['INPUT', 'SELECT', 'TEXTAREA', 'SCRIPT', 'STYLE'].includes(node.tagName)) return '';
      if (node.getAttribute('aria-label')) return ` ${node.getAttribute('aria-label')} `;
      let out = '';
      for (const c of node.childNodes) out += contentText(c);
      return /^(DIV|P|LI|SPAN|STRONG|SMALL|EM)$/.test(node.tagName) ? ` ${out} ` : out;
    };
    const nameOf = (el: any): string => {
      const root = el.getRootNode();
      const by = el.getAttribute('aria-labelledby');
      if (by) {
        const n = squash(
          by
            .split(/\s+/)
            .map((id: string) => root.getElementById?.(id) ?? g.document.getElementById(id))
            .filter(Boolean)
            .map((x: any) => contentText(x))
            .join(' '),
        );
        if (n) return n;
      }
      const label = squash(el.getAttribute('aria-label'));
      if (label) return label;
      if (['INPUT', 'SELECT', 'TEXTAREA', 'METER', 'PROGRESS', 'OUTPUT'].includes(el.tagName)) {
        if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes(el.type) && squash(el.value)) return squash(el.value);
        if (el.tagName === 'INPUT' && el.type === 'image' && squash(el.alt)) return squash(el.alt);
        const fromLabels = squash([...(el.labels ?? [])].map((l: any) => contentText(l)).join(' '));
        if (fromLabels) return fromLabels;
      }
      const role = roleOf(el);
      if (FROM_CONTENT.has(role) || FROM_CONTENT.has(el.tagName.toLowerCase())) {
        const text = squash(contentText(el));
        if (text) return text;
      }
      if (el.tagName === 'IMG' && squash(el.alt)) return squash(el.alt);
      return squash(el.getAttribute('title'));
    };
    const visible = (el: any) => el.getClientRects().length > 0 && (el.checkVisibility?.({ visibilityProperty: true }) ?? true);
    const focusable = (el: any) => el.tabIndex >= 0 && !el.disabled;
    const collect = (root: any, out: any[]) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.matches(INTERACTIVE)) out.push(el);
        if (el.shadowRoot) collect(el.shadowRoot, out);
      }
      return out;
    };
    const why = (el: any, name: string): string | null => {
      if (el.closest('[aria-hidden="true"]')) return focusable(el) ? 'focusable inside aria-hidden' : null;
      if (!name) return 'no accessible name';
      if (!/[\p{L}\p{N}]/u.test(name)) return `name "${name}" is only symbols`;
      if (name.length < 2) return `name "${name}" is a single character`;
      return null;
    };
    g.__klappeA11y = {
      nameOf,
      audit() {
        const offenders: any[] = [];
        for (const el of collect(g.document, [])) {
          // An element listed only for its tabindex counts when it takes focus.
          const onlyTabindex = !el.matches(
            INTERACTIVE.split(', ')
              .filter((s: string) => s !== '[tabindex]')
              .join(', '),
          );
          if (onlyTabindex && el.tabIndex < 0) continue;
          if (!visible(el)) continue;
          const name = nameOf(el);
          const problem = why(el, name);
          if (problem)
            offenders.push({
              tag: el.tagName.toLowerCase(),
              id: el.id,
              className: typeof el.className === 'string' ? el.className : '',
              role: roleOf(el),
              name,
              why: problem,
              html: el.outerHTML.replace(/\s+/g, ' ').slice(0, 200),
            });
        }
        return offenders;
      },
      /** The focused element (through shadow roots): its name, role and the labelled region it sits in. */
      focused(markStart = false) {
        let el = g.document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        if (!el || el === g.document.body || el === g.document.documentElement) return null;
        const region = el.closest(
          'dialog, [role="dialog"], aside, main, header, nav, section, [role="toolbar"], [role="tablist"], [role="application"], [role="listbox"], ul[aria-label], [role="radiogroup"], fieldset',
        );
        const regionName = region
          ? squash(
              region.getAttribute('aria-label') ?? (region.tagName === 'FIELDSET' ? region.querySelector('legend')?.textContent : '') ?? '',
            )
          : '';
        const top = el.closest('dialog[open], aside[aria-label], main[aria-label], [role="toolbar"][aria-label]') ?? el.closest('header');
        const isStart = el.hasAttribute('data-tab-walk-start');
        if (markStart) {
          for (const x of g.document.querySelectorAll('[data-tab-walk-start]')) x.removeAttribute('data-tab-walk-start');
          el.setAttribute('data-tab-walk-start', '');
        }
        return {
          isStart,
          tag: el.tagName.toLowerCase(),
          role: roleOf(el),
          name: nameOf(el),
          region: regionName,
          area: top ? squash(top.getAttribute('aria-label') ?? top.tagName.toLowerCase()) : '',
          inDialog: !!el.closest('dialog[open]'),
          html: el.outerHTML.replace(/\s+/g, ' ').slice(0, 160),
        };
      },
    };
  });
}

/** Every visible interactive element on the page without a usable accessible name. */
export async function unnamedControls(page: Page): Promise<UnnamedControl[]> {
  await installA11y(page);
  return page.evaluate(() => (globalThis as any).__klappeA11y.audit());
}

/** One line per offender: tag#id.class [role] why — outerHTML. */
export function describeUnnamed(list: UnnamedControl[]): string[] {
  return list.map(
    (o) =>
      `${o.tag}${o.id ? `#${o.id}` : ''}${o.className ? `.${o.className.trim().split(/\s+/).join('.')}` : ''} [${o.role}] ${o.why} — ${o.html}`,
  );
}

export interface FocusedControl {
  /** Whether this is where the current tab walk began. */
  isStart: boolean;
  tag: string;
  role: string;
  name: string;
  /** aria-label of the nearest region (toolbar, aside, main, dialog, fieldset legend…). */
  region: string;
  /** aria-label of the top-level area: a dialog, aside, main, the header or a labelled toolbar. */
  area: string;
  inDialog: boolean;
  html: string;
}

/** What has the keyboard focus now (null: the page itself). */
export async function focusedControl(page: Page, markStart = false): Promise<FocusedControl | null> {
  await installA11y(page);
  return page.evaluate((m) => (globalThis as any).__klappeA11y.focused(m), markStart);
}

/**
 * Presses Tab until focus comes back to where the walk began (or `max`
 * presses): every stop on the way. `wrapped`: focus went past the end of the
 * page and came round again (a focus trap never lets it leave).
 */
export async function tabWalk(page: Page, max = 300): Promise<{ stops: FocusedControl[]; wrapped: boolean }> {
  const stops: FocusedControl[] = [];
  // Past the last control focus leaves the page (the browser's own UI), then comes back at the first.
  let leftPage = false;
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const f = await focusedControl(page, stops.length === 0);
    if (!f) {
      if (stops.length) leftPage = true;
      continue;
    }
    if (f.isStart && stops.length) return { stops, wrapped: leftPage };
    stops.push(f);
  }
  return { stops, wrapped: false };
}
