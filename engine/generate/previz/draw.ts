/**
 * Draws one FrameSpec with @napi-rs/canvas: sky or room, floor with planks,
 * contact shadows, then props and characters depth-sorted (far to near) with
 * simple directional lighting; characters get eyes that blink and look and a
 * mouth shaped by the visemes.
 */
import type { SKRSContext2D } from '@napi-rs/canvas';
import { NEAR, toCamera, toScreen, viewOf, type View } from './camera.js';
import { figureOf, type CharacterSpec, type FrameSpec, type PropSpec } from './frame-spec.js';
import { add, dot, forwardOf, normalize, rotateByQuat, scale, sub, type Vec3 } from './vec.js';

const LIGHT: Vec3 = normalize([-0.45, 1, 0.6]);

export function drawFrame(ctx: SKRSContext2D, spec: FrameSpec): void {
  const view = viewOf(spec.camera, spec.width, spec.height);
  drawBackground(ctx, spec, view);
  drawSet(ctx, spec, view);
  drawShadows(ctx, spec, view);
  const items: Array<{ depth: number; draw: () => void }> = [];
  for (const p of spec.props) {
    const c = toCamera(view, p.position);
    items.push({ depth: c[2], draw: () => drawProp(ctx, view, p) });
  }
  for (const ch of spec.characters) {
    const c = toCamera(view, add(ch.pose.position, [0, ch.look.height * 0.5, 0]));
    items.push({ depth: c[2], draw: () => drawCharacter(ctx, view, ch) });
  }
  items.sort((a, b) => b.depth - a.depth);
  for (const it of items) it.draw();
}

// ---------- colours ----------

function parseHex(c: string): [number, number, number] {
  return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)];
}

export function shade(color: string, k: number, alpha = 1): string {
  const [r, g, b] = parseHex(color);
  const f = (v: number) => Math.max(0, Math.min(255, Math.round(v * k)));
  return alpha >= 1 ? `rgb(${f(r)},${f(g)},${f(b)})` : `rgba(${f(r)},${f(g)},${f(b)},${alpha})`;
}

function lightOf(normal: Vec3): number {
  return 0.5 + 0.6 * Math.max(0, dot(normal, LIGHT));
}

// ---------- polygons ----------

/** Clips a camera-space polygon against the near plane and projects it; undefined if nothing is left. */
function projectPolygon(view: View, world: Vec3[]): Array<[number, number]> | undefined {
  const cam = world.map((p) => toCamera(view, p));
  const out: Vec3[] = [];
  for (let i = 0; i < cam.length; i++) {
    const a = cam[i]!;
    const b = cam[(i + 1) % cam.length]!;
    const ina = a[2] >= NEAR;
    const inb = b[2] >= NEAR;
    if (ina) out.push(a);
    if (ina !== inb) {
      const t = (NEAR - a[2]) / (b[2] - a[2]);
      out.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, NEAR]);
    }
  }
  if (out.length < 3) return undefined;
  return out.map((c) => toScreen(view, c));
}

function fillPolygon(ctx: SKRSContext2D, pts: Array<[number, number]>, fill: string, stroke?: string): void {
  ctx.beginPath();
  ctx.moveTo(pts[0]![0], pts[0]![1]);
  for (let i = 1; i < pts.length; i++) ctx.lineTo(pts[i]![0], pts[i]![1]);
  ctx.closePath();
  ctx.fillStyle = fill;
  ctx.fill();
  if (stroke) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

/** A world polygon facing `normal`, drawn only when it faces the camera. */
function face(ctx: SKRSContext2D, view: View, pts: Vec3[], normal: Vec3, color: string, edge = true): void {
  const centre = scale(
    pts.reduce((s, p) => add(s, p), [0, 0, 0] as Vec3),
    1 / pts.length,
  );
  if (dot(normal, sub(view.position, centre)) <= 0) return;
  const sp = projectPolygon(view, pts);
  if (!sp) return;
  const k = lightOf(normal);
  fillPolygon(ctx, sp, shade(color, k), edge ? shade(color, k * 0.8) : undefined);
}

// ---------- background and set ----------

function drawBackground(ctx: SKRSContext2D, spec: FrameSpec, view: View): void {
  const { width, height } = spec;
  if (spec.set.kind === 'outdoor') {
    // Horizon: where the camera's view direction meets the far distance.
    const horizon = horizonY(view);
    const g = ctx.createLinearGradient(0, 0, 0, Math.max(1, horizon));
    g.addColorStop(0, shade(spec.set.skyColor, 0.78));
    g.addColorStop(1, shade(spec.set.skyColor, 1.12));
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, width, height);
  } else {
    ctx.fillStyle = shade(spec.set.wallColor, 0.45);
    ctx.fillRect(0, 0, width, height);
  }
}

function horizonY(view: View): number {
  // A point very far ahead on the horizontal plane through the camera.
  const flat = normalize([view.forward[0], 0, view.forward[2]]);
  const far = add(view.position, scale(flat, 1e4));
  const c = toCamera(view, far);
  return c[2] > NEAR ? toScreen(view, c)[1] : view.height / 2;
}

function drawSet(ctx: SKRSContext2D, spec: FrameSpec, view: View): void {
  const { set } = spec;
  const w = set.width / 2;
  const d = set.depth / 2;
  if (set.kind === 'outdoor') {
    const R = 400;
    face(
      ctx,
      view,
      [
        [-R, 0, -R],
        [R, 0, -R],
        [R, 0, R],
        [-R, 0, R],
      ],
      [0, 1, 0],
      tone(set.floorColor, 0.92),
      false,
    );
    // A lawn patch of the set's size, and a fence line at its back.
    face(
      ctx,
      view,
      [
        [-w, 0.001, -d],
        [w, 0.001, -d],
        [w, 0.001, d],
        [-w, 0.001, d],
      ],
      [0, 1, 0],
      set.floorColor,
      false,
    );
    gridLines(ctx, view, w, d, 1, shade(set.floorColor, 0.85, 0.5));
    for (let x = -w; x <= w + 1e-6; x += 1) {
      limbLine(ctx, view, [x, 0, -d], [x, set.wallHeight * 0.5, -d], 0.04, shade(set.wallColor, 0.8));
    }
    limbLine(ctx, view, [-w, set.wallHeight * 0.42, -d], [w, set.wallHeight * 0.42, -d], 0.03, shade(set.wallColor, 0.9));
    limbLine(ctx, view, [-w, set.wallHeight * 0.22, -d], [w, set.wallHeight * 0.22, -d], 0.03, shade(set.wallColor, 0.9));
    return;
  }
  const h = set.wallHeight;
  // The studio floor around the set, for cameras outside the room.
  const R = 60;
  face(
    ctx,
    view,
    [
      [-R, -0.002, -R],
      [R, -0.002, -R],
      [R, -0.002, R],
      [-R, -0.002, R],
    ],
    [0, 1, 0],
    tone(set.floorColor, 0.75),
    false,
  );
  face(
    ctx,
    view,
    [
      [-w, 0, -d],
      [w, 0, -d],
      [w, 0, d],
      [-w, 0, d],
    ],
    [0, 1, 0],
    set.floorColor,
    false,
  );
  gridLines(ctx, view, w, d, 0.25, shade(set.floorColor, 0.8, 0.6), true);
  const walls: Array<[Vec3[], Vec3]> = [
    [
      [
        [-w, 0, -d],
        [-w, h, -d],
        [w, h, -d],
        [w, 0, -d],
      ],
      [0, 0, 1],
    ],
    [
      [
        [w, 0, d],
        [w, h, d],
        [-w, h, d],
        [-w, 0, d],
      ],
      [0, 0, -1],
    ],
    [
      [
        [-w, 0, d],
        [-w, h, d],
        [-w, h, -d],
        [-w, 0, -d],
      ],
      [1, 0, 0],
    ],
    [
      [
        [w, 0, -d],
        [w, h, -d],
        [w, h, d],
        [w, 0, d],
      ],
      [-1, 0, 0],
    ],
  ];
  for (const [pts, n] of walls) {
    face(ctx, view, pts, n, set.wallColor, false);
    if (dot(n, sub(view.position, pts[0]!)) > 0) {
      // Skirting board and a window on the back wall.
      const a = pts[0]!;
      const b = pts[3]!;
      const up: Vec3 = [0, 0.12, 0];
      const off = scale(n, 0.005);
      face(ctx, view, [add(a, off), add(add(a, up), off), add(add(b, up), off), add(b, off)], n, tone(set.wallColor, 0.55), false);
    }
  }
  // Window on the back wall (−z).
  if (dot([0, 0, 1], sub(view.position, [0, 0, -d])) > 0) {
    const win: Vec3[] = [
      [-1.1, 1.0, -d + 0.01],
      [-1.1, 2.2, -d + 0.01],
      [0.6, 2.2, -d + 0.01],
      [0.6, 1.0, -d + 0.01],
    ];
    const sp = projectPolygon(view, win);
    if (sp) {
      fillPolygon(ctx, sp, shade('#f4f0e6', 1));
      const inner: Vec3[] = [
        [-1.0, 1.1, -d + 0.02],
        [-1.0, 2.1, -d + 0.02],
        [0.5, 2.1, -d + 0.02],
        [0.5, 1.1, -d + 0.02],
      ];
      const si = projectPolygon(view, inner);
      if (si) fillPolygon(ctx, si, shade(set.skyColor, 1.05));
      limbLine(ctx, view, [-0.25, 1.1, -d + 0.03], [-0.25, 2.1, -d + 0.03], 0.025, '#f4f0e6');
      limbLine(ctx, view, [-1.0, 1.6, -d + 0.03], [0.5, 1.6, -d + 0.03], 0.025, '#f4f0e6');
    }
  }
}

/** A colour made lighter or darker, as #rrggbb. */
function tone(color: string, k: number): string {
  const hex = (v: number) =>
    Math.max(0, Math.min(255, Math.round(v * k)))
      .toString(16)
      .padStart(2, '0');
  const [r, g, b] = parseHex(color);
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

function gridLines(ctx: SKRSContext2D, view: View, w: number, d: number, stepM: number, color: string, planks = false): void {
  ctx.strokeStyle = color;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const seg = (a: Vec3, b: Vec3) => {
    const ca = toCamera(view, a);
    const cb = toCamera(view, b);
    if (ca[2] < NEAR && cb[2] < NEAR) return;
    if (ca[2] < NEAR) {
      const t = (NEAR - ca[2]) / (cb[2] - ca[2]);
      ca[0] += (cb[0] - ca[0]) * t;
      ca[1] += (cb[1] - ca[1]) * t;
      ca[2] = NEAR;
    }
    if (cb[2] < NEAR) {
      const t = (NEAR - cb[2]) / (ca[2] - cb[2]);
      cb[0] += (ca[0] - cb[0]) * t;
      cb[1] += (ca[1] - cb[1]) * t;
      cb[2] = NEAR;
    }
    const sa = toScreen(view, ca);
    const sb = toScreen(view, cb);
    ctx.moveTo(sa[0], sa[1]);
    ctx.lineTo(sb[0], sb[1]);
  };
  for (let x = -w + stepM; x < w - 1e-6; x += stepM) seg([x, 0.002, -d], [x, 0.002, d]);
  if (!planks) for (let z = -d + stepM; z < d - 1e-6; z += stepM) seg([-w, 0.002, z], [w, 0.002, z]);
  ctx.stroke();
}

// ---------- shadows ----------

function drawShadows(ctx: SKRSContext2D, spec: FrameSpec, view: View): void {
  const surfaces = spec.props.filter((p) => p.kind === 'table');
  const surfaceUnder = (x: number, z: number, y: number): number => {
    let s = 0;
    for (const t of surfaces) {
      const top = t.position[1] + t.size[1] / 2;
      if (top <= y + 0.05 && Math.abs(x - t.position[0]) < t.size[0] / 2 && Math.abs(z - t.position[2]) < t.size[2] / 2)
        s = Math.max(s, top);
    }
    return s;
  };
  const blob = (x: number, z: number, y: number, rx: number, rz: number) => {
    const base = surfaceUnder(x, z, y);
    const hgt = Math.max(0, y - base);
    const alpha = 0.4 * Math.max(0, 1 - hgt / 2.5);
    if (alpha <= 0.01) return;
    const pts: Vec3[] = [];
    for (let i = 0; i < 16; i++) {
      const a = (i / 16) * Math.PI * 2;
      pts.push([x + Math.cos(a) * rx, base + 0.003, z + Math.sin(a) * rz]);
    }
    const sp = projectPolygon(view, pts);
    if (sp) fillPolygon(ctx, sp, `rgba(20,15,10,${alpha.toFixed(3)})`);
  };
  for (const p of spec.props) {
    if (p.kind === 'table') {
      blob(p.position[0], p.position[2], 0, p.size[0] * 0.55, p.size[2] * 0.6);
      continue;
    }
    const bottom = p.position[1] - p.size[1] / 2;
    blob(p.position[0], p.position[2], bottom, p.size[0] * 0.6, p.size[2] * 0.6);
  }
  for (const c of spec.characters) blob(c.pose.position[0], c.pose.position[2], 0, 0.3, 0.3);
}

// ---------- props ----------

function boxFaces(ctx: SKRSContext2D, view: View, centre: Vec3, half: Vec3, rot: (v: Vec3) => Vec3, color: string): void {
  const corner = (sx: number, sy: number, sz: number): Vec3 => add(centre, rot([sx * half[0], sy * half[1], sz * half[2]]));
  const faces: Array<[Array<[number, number, number]>, Vec3]> = [
    [
      [
        [1, -1, -1],
        [1, 1, -1],
        [1, 1, 1],
        [1, -1, 1],
      ],
      [1, 0, 0],
    ],
    [
      [
        [-1, -1, 1],
        [-1, 1, 1],
        [-1, 1, -1],
        [-1, -1, -1],
      ],
      [-1, 0, 0],
    ],
    [
      [
        [-1, 1, -1],
        [-1, 1, 1],
        [1, 1, 1],
        [1, 1, -1],
      ],
      [0, 1, 0],
    ],
    [
      [
        [-1, -1, 1],
        [-1, -1, -1],
        [1, -1, -1],
        [1, -1, 1],
      ],
      [0, -1, 0],
    ],
    [
      [
        [-1, -1, 1],
        [1, -1, 1],
        [1, 1, 1],
        [-1, 1, 1],
      ],
      [0, 0, 1],
    ],
    [
      [
        [1, -1, -1],
        [-1, -1, -1],
        [-1, 1, -1],
        [1, 1, -1],
      ],
      [0, 0, -1],
    ],
  ];
  for (const [corners, n] of faces)
    face(
      ctx,
      view,
      corners.map(([x, y, z]) => corner(x, y, z)),
      rot(n),
      color,
    );
}

function cylinderFaces(
  ctx: SKRSContext2D,
  view: View,
  centre: Vec3,
  radius: number,
  halfH: number,
  rot: (v: Vec3) => Vec3,
  color: string,
  topColor?: string,
  sides = 14,
): void {
  for (let i = 0; i < sides; i++) {
    const a0 = (i / sides) * Math.PI * 2;
    const a1 = ((i + 1) / sides) * Math.PI * 2;
    const am = (a0 + a1) / 2;
    const p = (a: number, y: number): Vec3 => add(centre, rot([Math.cos(a) * radius, y, Math.sin(a) * radius]));
    face(ctx, view, [p(a0, -halfH), p(a1, -halfH), p(a1, halfH), p(a0, halfH)], rot([Math.cos(am), 0, Math.sin(am)]), color, false);
  }
  const ring = (y: number) =>
    Array.from({ length: sides }, (_, i) =>
      add(centre, rot([Math.cos((i / sides) * Math.PI * 2) * radius, y, Math.sin((i / sides) * Math.PI * 2) * radius])),
    );
  face(ctx, view, ring(halfH).reverse(), rot([0, 1, 0]), topColor ?? color, false);
  face(ctx, view, ring(-halfH), rot([0, -1, 0]), color, false);
}

function drawProp(ctx: SKRSContext2D, view: View, p: PropSpec): void {
  const rot = (v: Vec3) => rotateByQuat(v, p.rotation);
  const [sx, sy, sz] = p.size;
  const c = p.position;
  switch (p.kind) {
    case 'table': {
      const top = 0.05;
      boxFaces(ctx, view, add(c, rot([0, sy / 2 - top / 2, 0])), [sx / 2, top / 2, sz / 2], rot, p.color);
      for (const [lx, lz] of [
        [-1, -1],
        [1, -1],
        [-1, 1],
        [1, 1],
      ] as const) {
        boxFaces(
          ctx,
          view,
          add(c, rot([lx * (sx / 2 - 0.06), -top / 2, lz * (sz / 2 - 0.06)])),
          [0.03, sy / 2 - top / 2, 0.03],
          rot,
          tone(p.color, 0.8),
        );
      }
      return;
    }
    case 'chair': {
      const seatY = -sy / 2 + sy * 0.5;
      boxFaces(ctx, view, add(c, rot([0, seatY, 0])), [sx / 2, 0.025, sz / 2], rot, p.color);
      boxFaces(ctx, view, add(c, rot([0, seatY + sy * 0.25, sz / 2 - 0.02])), [sx / 2, sy * 0.25, 0.02], rot, p.color);
      for (const [lx, lz] of [
        [-1, -1],
        [1, -1],
        [-1, 1],
        [1, 1],
      ] as const) {
        boxFaces(
          ctx,
          view,
          add(c, rot([lx * (sx / 2 - 0.03), (-sy / 2 + seatY) / 2, lz * (sz / 2 - 0.03)])),
          [0.02, (seatY + sy / 2) / 2, 0.02],
          rot,
          p.color,
        );
      }
      return;
    }
    case 'ball': {
      const s = projectSphere(view, c, sx / 2);
      if (!s) return;
      const g = ctx.createRadialGradient(s.x - s.r * 0.35, s.y - s.r * 0.4, s.r * 0.1, s.x, s.y, s.r);
      g.addColorStop(0, shade(p.color, 1.5));
      g.addColorStop(0.6, shade(p.color, 1));
      g.addColorStop(1, shade(p.color, 0.55));
      ctx.fillStyle = g;
      ctx.beginPath();
      ctx.arc(s.x, s.y, s.r, 0, Math.PI * 2);
      ctx.fill();
      // A seam that shows the ball rolling.
      const a = add(c, rot([0, 0, sx / 2]));
      const b = add(c, rot([0, 0, -sx / 2]));
      const pa = projectPoint(view, a);
      const pb = projectPoint(view, b);
      if (pa && pb) {
        ctx.strokeStyle = shade(p.color, 0.6);
        ctx.lineWidth = Math.max(1, s.r * 0.08);
        ctx.beginPath();
        ctx.moveTo(pa[0], pa[1]);
        ctx.quadraticCurveTo(s.x, s.y, pb[0], pb[1]);
        ctx.stroke();
      }
      return;
    }
    case 'cup': {
      const r = Math.max(sx, sz) / 2;
      cylinderFaces(ctx, view, c, r, sy / 2, rot, p.color, tone(p.color, 0.35));
      // Handle.
      limbLine(ctx, view, add(c, rot([r * 1.5, sy * 0.25, 0])), add(c, rot([r * 1.5, -sy * 0.2, 0])), r * 0.3, p.color);
      return;
    }
    case 'bottle': {
      const r = Math.max(sx, sz) / 2;
      cylinderFaces(ctx, view, add(c, rot([0, -sy * 0.15, 0])), r, sy * 0.35, rot, p.color);
      cylinderFaces(ctx, view, add(c, rot([0, sy * 0.35, 0])), r * 0.4, sy * 0.15, rot, p.color);
      return;
    }
    case 'lamp': {
      const r = Math.max(sx, sz) / 2;
      cylinderFaces(ctx, view, add(c, rot([0, -sy / 2 + 0.02, 0])), r * 0.6, 0.02, rot, '#404040');
      limbLine(ctx, view, add(c, rot([0, -sy / 2, 0])), add(c, rot([0, sy / 2 - 0.2, 0])), 0.02, '#505050');
      cylinderFaces(ctx, view, add(c, rot([0, sy / 2 - 0.12, 0])), r, 0.12, rot, p.color);
      return;
    }
    case 'plant': {
      const r = Math.max(sx, sz) / 2;
      cylinderFaces(ctx, view, add(c, rot([0, -sy * 0.3, 0])), r * 0.6, sy * 0.2, rot, '#a0522d');
      const s = projectSphere(view, add(c, rot([0, sy * 0.15, 0])), r);
      if (s) {
        ctx.fillStyle = shade(p.color === '#c04040' ? '#3f8f3f' : p.color, 1);
        ctx.beginPath();
        ctx.arc(s.x, s.y, s.r, 0, Math.PI * 2);
        ctx.fill();
      }
      return;
    }
    case 'door': {
      boxFaces(ctx, view, c, [sx / 2, sy / 2, sz / 2], rot, p.color);
      const knob = projectSphere(view, add(c, rot([sx * 0.38, 0, sz / 2 + 0.03])), 0.035);
      if (knob) {
        ctx.fillStyle = '#c8a040';
        ctx.beginPath();
        ctx.arc(knob.x, knob.y, knob.r, 0, Math.PI * 2);
        ctx.fill();
      }
      return;
    }
    default:
      boxFaces(ctx, view, c, [sx / 2, sy / 2, sz / 2], rot, p.color);
  }
}

function projectPoint(view: View, p: Vec3): [number, number] | undefined {
  const c = toCamera(view, p);
  return c[2] < NEAR ? undefined : toScreen(view, c);
}

function projectSphere(view: View, centre: Vec3, radius: number): { x: number; y: number; r: number } | undefined {
  const c = toCamera(view, centre);
  if (c[2] < NEAR + radius) return undefined;
  const [x, y] = toScreen(view, c);
  return { x, y, r: (view.focal * radius) / c[2] };
}

/** A thick rounded segment (limbs, rails). */
function limbLine(ctx: SKRSContext2D, view: View, a: Vec3, b: Vec3, radius: number, color: string): void {
  const ca = toCamera(view, a);
  const cb = toCamera(view, b);
  if (ca[2] < NEAR || cb[2] < NEAR) return;
  const sa = toScreen(view, ca);
  const sb = toScreen(view, cb);
  ctx.strokeStyle = color;
  ctx.lineCap = 'round';
  ctx.lineWidth = Math.max(1, (view.focal * radius * 2) / ((ca[2] + cb[2]) / 2));
  ctx.beginPath();
  ctx.moveTo(sa[0], sa[1]);
  ctx.lineTo(sb[0], sb[1]);
  ctx.stroke();
}

// ---------- characters ----------

function drawCharacter(ctx: SKRSContext2D, view: View, ch: CharacterSpec): void {
  const fig = figureOf(ch.look, ch.pose);
  const parts: Array<{ depth: number; draw: () => void }> = [];
  for (const l of fig.limbs) {
    const mid = scale(add(l.a, l.b), 0.5);
    const lightK = 0.85 + 0.15 * Math.max(0, dot(normalize(sub(view.position, mid)), LIGHT));
    parts.push({ depth: toCamera(view, mid)[2], draw: () => limbLine(ctx, view, l.a, l.b, l.radius, shade(l.color, lightK)) });
  }
  const t = fig.torso;
  const f = forwardOf(t.facingDeg);
  const right: Vec3 = [-f[2], 0, f[0]];
  const rot = (v: Vec3): Vec3 => add(add(scale(right, v[0]), [0, v[1], 0]), scale(f, -v[2]));
  parts.push({ depth: toCamera(view, t.centre)[2] + 0.02, draw: () => boxFaces(ctx, view, t.centre, t.half, rot, t.color) });
  parts.push({ depth: toCamera(view, fig.head.centre)[2] - 0.01, draw: () => drawHead(ctx, view, ch, fig) });
  parts.sort((a, b) => b.depth - a.depth);
  for (const p of parts) p.draw();
}

function drawHead(ctx: SKRSContext2D, view: View, ch: CharacterSpec, fig: ReturnType<typeof figureOf>): void {
  const s = projectSphere(view, fig.head.centre, fig.head.radius);
  if (!s) return;
  const toCam = normalize(sub(view.position, fig.head.centre));
  const facing = dot(fig.faceForward, toCam);
  // Neck.
  limbLine(
    ctx,
    view,
    add(fig.head.centre, [0, -fig.head.radius * 0.7, 0]),
    add(fig.head.centre, [0, -fig.head.radius * 1.25, 0]),
    fig.head.radius * 0.4,
    shade(ch.look.skin, 0.85),
  );
  const g = ctx.createRadialGradient(s.x - s.r * 0.3, s.y - s.r * 0.35, s.r * 0.1, s.x, s.y, s.r * 1.05);
  g.addColorStop(0, shade(ch.look.skin, 1.15));
  g.addColorStop(1, shade(ch.look.skin, 0.75));
  ctx.fillStyle = g;
  ctx.beginPath();
  ctx.arc(s.x, s.y, s.r, 0, Math.PI * 2);
  ctx.fill();
  // Hair: a cap on top, covering the back of the head when it faces away.
  const top = projectPoint(view, add(fig.head.centre, [0, fig.head.radius, 0]));
  ctx.fillStyle = shade(ch.look.hair, 1);
  ctx.beginPath();
  if (facing < -0.2) {
    ctx.arc(s.x, s.y, s.r * 1.02, 0, Math.PI * 2);
  } else {
    const tilt = top ? Math.atan2(top[0] - s.x, -(top[1] - s.y)) : 0;
    // A cap whose lower edge sits lower on the side the head turns away from.
    const back = dot(fig.faceForward, view.right) * (facing < 0.6 ? 0.6 : 0.3);
    ctx.ellipse(s.x - back * s.r * 0.5, s.y - s.r * 0.25, s.r * 1.04, s.r * 0.8, tilt, Math.PI * 1.02, Math.PI * 1.98);
    ctx.closePath();
  }
  ctx.fill();
  if (facing < 0.05) return;

  // Eyes: whites, pupils towards where the character looks, lids when blinking.
  const er = fig.head.radius * 0.2;
  for (const eye of fig.eyes) {
    const pe = projectPoint(view, eye);
    if (!pe) continue;
    const c = toCamera(view, eye);
    const r = (view.focal * er) / c[2];
    const lookAt = projectPoint(view, add(eye, scale(fig.eyeDir, 0.05)));
    let dx = 0;
    let dy = 0;
    if (lookAt) {
      dx = lookAt[0] - pe[0];
      dy = lookAt[1] - pe[1];
      const l = Math.hypot(dx, dy);
      if (l > 1e-6) {
        dx = (dx / l) * r * 0.45 * Math.min(1, l / r);
        dy = (dy / l) * r * 0.45 * Math.min(1, l / r);
      }
    }
    const open = 1 - ch.blink;
    ctx.fillStyle = '#f8f8f4';
    ctx.beginPath();
    ctx.ellipse(pe[0], pe[1], r * (0.6 + 0.4 * facing), Math.max(0.5, r * 0.75 * open), 0, 0, Math.PI * 2);
    ctx.fill();
    if (open > 0.3) {
      ctx.fillStyle = '#2a1c10';
      ctx.beginPath();
      ctx.arc(pe[0] + dx, pe[1] + dy, r * 0.5, 0, Math.PI * 2);
      ctx.fill();
    }
    // Brow.
    ctx.strokeStyle = shade(ch.look.hair, 0.9);
    ctx.lineWidth = Math.max(1, r * 0.35);
    ctx.beginPath();
    ctx.moveTo(pe[0] - r * 0.9, pe[1] - r * 1.25);
    ctx.lineTo(pe[0] + r * 0.9, pe[1] - r * 1.35);
    ctx.stroke();
  }
  // Mouth from the viseme: dark opening whose height is `open` and width `wide`.
  const pm = projectPoint(view, fig.mouth);
  if (pm) {
    const c = toCamera(view, fig.mouth);
    const unit = (view.focal * fig.head.radius) / c[2];
    const w = unit * (0.26 + 0.16 * ch.mouth.wide) * (0.5 + 0.5 * facing);
    const h = unit * 0.34 * ch.mouth.open;
    if (h < unit * 0.03) {
      ctx.strokeStyle = shade(ch.look.skin, 0.45);
      ctx.lineWidth = Math.max(1, unit * 0.06);
      ctx.beginPath();
      ctx.moveTo(pm[0] - w, pm[1]);
      ctx.quadraticCurveTo(pm[0], pm[1] + unit * 0.06, pm[0] + w, pm[1]);
      ctx.stroke();
    } else {
      ctx.fillStyle = '#3a0c0c';
      ctx.beginPath();
      ctx.ellipse(pm[0], pm[1], w, h, 0, 0, Math.PI * 2);
      ctx.fill();
      ctx.fillStyle = '#f0ece0';
      ctx.fillRect(pm[0] - w * 0.6, pm[1] - h * 0.85, w * 1.2, h * 0.3);
    }
  }
}

/** Screen size of the mouth region of a character (for tracks), in head radii. */
export const MOUTH_BOX_RADII = 0.55;
