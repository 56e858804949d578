// Trial corpus: 2-D/3-D geometry written the way public TypeScript writes it (see bench/README.md).

export type vec3 = [number, number, number];

// Mirrors: gl-matrix `vec3.cross(out, a, b)` out-parameter style (toji/gl-matrix src/vec3.js, phaser4 Vec3Cross).
export function cross(out: vec3, a: vec3, b: vec3): vec3 {
  const ax = a[0], ay = a[1], az = a[2];
  const bx = b[0], by = b[1], bz = b[2];
  out[0] = ay * bz - az * by;
  out[1] = az * bx - ax * bz;
  out[2] = ax * by - ay * bx;
  return out;
}

// Mirrors: gl-matrix `vec3.normalize(out, a)` with `let len` reassigned inside an if (toji/gl-matrix src/vec3.js).
export function normalize(out: vec3, a: vec3): vec3 {
  const x = a[0];
  const y = a[1];
  const z = a[2];
  let len = x * x + y * y + z * z;
  if (len > 0) {
    len = 1 / Math.sqrt(len);
  }
  out[0] = a[0] * len;
  out[1] = a[1] * len;
  out[2] = a[2] * len;
  return out;
}

export interface Point {
  x: number;
  y: number;
}

// Mirrors: shoelace polygon area over Point[] with a wrap-around index (map/GIS utility modules).
export function polygonArea(points: Point[]): number {
  let area = 0;
  for (let i = 0; i < points.length; i++) {
    const j = (i + 1) % points.length;
    area += points[i].x * points[j].y - points[j].x * points[i].y;
  }
  return Math.abs(area) / 2;
}

// Mirrors: point-to-segment distance with clamped projection (editor hit-testing code).
export function distanceToSegment(p: Point, a: Point, b: Point): number {
  const abx = b.x - a.x;
  const aby = b.y - a.y;
  const lenSq = abx * abx + aby * aby;
  let t = ((p.x - a.x) * abx + (p.y - a.y) * aby) / lenSq;
  t = Math.max(0, Math.min(1, t));
  const cx = a.x + t * abx;
  const cy = a.y + t * aby;
  return Math.hypot(p.x - cx, p.y - cy);
}

// Mirrors: tuple rotation with a destructured tuple parameter (jsxcad math/vec2 style `([x, y]) => [...]`).
export function rotate([x, y]: [number, number], angle: number): [number, number] {
  const c = Math.cos(angle);
  const s = Math.sin(angle);
  return [x * c - y * s, x * s + y * c];
}

// Mirrors: centroid by reduce with an object accumulator, then division (chart/graph layout code).
export function centroid(points: Point[]): Point {
  const sum = points.reduce((acc, p) => ({ x: acc.x + p.x, y: acc.y + p.y }), { x: 0, y: 0 });
  return { x: sum.x / points.length, y: sum.y / points.length };
}

function sub3(a: vec3, b: vec3): vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function cross3(a: vec3, b: vec3): vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

// Mirrors: triangle area from tuple helpers and `Math.hypot(...n)` (mesh-processing utilities).
export function triangleArea(a: vec3, b: vec3, c: vec3): number {
  const n = cross3(sub3(b, a), sub3(c, a));
  return 0.5 * Math.hypot(...n);
}
