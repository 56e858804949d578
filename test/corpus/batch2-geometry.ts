// Trial corpus, batch 2: geometry written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

// A file-local vector class whose methods return new vectors (ray tracers, "ray tracing in one weekend" TS ports).
class Vec3 {
  constructor(
    public x = 0,
    public y = 0,
    public z = 0,
  ) {}

  add(v: Vec3): Vec3 {
    return new Vec3(this.x + v.x, this.y + v.y, this.z + v.z);
  }

  sub(v: Vec3): Vec3 {
    return new Vec3(this.x - v.x, this.y - v.y, this.z - v.z);
  }

  scale(s: number): Vec3 {
    return new Vec3(this.x * s, this.y * s, this.z * s);
  }

  dot(v: Vec3): number {
    return this.x * v.x + this.y * v.y + this.z * v.z;
  }

  cross(v: Vec3): Vec3 {
    return new Vec3(this.y * v.z - this.z * v.y, this.z * v.x - this.x * v.z, this.x * v.y - this.y * v.x);
  }

  get length(): number {
    return Math.sqrt(this.dot(this));
  }
}

// Mirrors: mesh utilities on a Vec3 class with chained methods (`b.sub(a).cross(c.sub(a)).length / 2`).
export function triangleArea(a: Vec3, b: Vec3, c: Vec3): number {
  return b.sub(a).cross(c.sub(a)).length / 2;
}

// Mirrors: gl-matrix `vec3.transformMat4(out, a, m)` on Float32Array, with the `w || 1.0` guard against a zero w.
export function transformMat4(out: Float32Array, a: Float32Array, m: Float32Array): Float32Array {
  const [x, y, z] = [a[0], a[1], a[2]];
  let w = m[3] * x + m[7] * y + m[11] * z + m[15];
  w = w || 1.0;
  out[0] = (m[0] * x + m[4] * y + m[8] * z + m[12]) / w;
  out[1] = (m[1] * x + m[5] * y + m[9] * z + m[13]) / w;
  out[2] = (m[2] * x + m[6] * y + m[10] * z + m[14]) / w;
  return out;
}

const EPSILON = 0.000001;

// Mirrors: gl-matrix-style `quat.slerp(out, a, b, t)` on number[]: `let` destructuring, sign flip for the short arc, lerp fallback at small angles.
export function slerp(out: number[], a: readonly number[], b: readonly number[], t: number): number[] {
  const [ax, ay, az, aw] = a;
  let [bx, by, bz, bw] = b;
  let cosom = ax * bx + ay * by + az * bz + aw * bw;
  if (cosom < 0.0) {
    cosom = -cosom;
    bx = -bx;
    by = -by;
    bz = -bz;
    bw = -bw;
  }
  let scale0: number;
  let scale1: number;
  if (1.0 - cosom > EPSILON) {
    const omega = Math.acos(cosom);
    const sinom = Math.sin(omega);
    scale0 = Math.sin((1.0 - t) * omega) / sinom;
    scale1 = Math.sin(t * omega) / sinom;
  } else {
    scale0 = 1.0 - t;
    scale1 = t;
  }
  out[0] = scale0 * ax + scale1 * bx;
  out[1] = scale0 * ay + scale1 * by;
  out[2] = scale0 * az + scale1 * bz;
  out[3] = scale0 * aw + scale1 * bw;
  return out;
}

export type Point = { x: number; y: number };

const sqr = (v: number) => v * v;

function distToSegmentSquared(p: Point, v: Point, w: Point): number {
  const l2 = sqr(v.x - w.x) + sqr(v.y - w.y);
  if (l2 === 0) return sqr(p.x - v.x) + sqr(p.y - v.y);
  const t = Math.max(0, Math.min(1, ((p.x - v.x) * (w.x - v.x) + (p.y - v.y) * (w.y - v.y)) / l2));
  return sqr(p.x - (v.x + t * (w.x - v.x))) + sqr(p.y - (v.y + t * (w.y - v.y)));
}

// Mirrors: the distToSegment idiom of map editors and drawing apps lifted to a polyline with slice(1).map and Math.min(...spread).
export function distanceToPolyline(p: Point, line: Point[]): number {
  if (line.length === 1) return Math.sqrt(distToSegmentSquared(p, line[0], line[0]));
  const d2 = line.slice(1).map((q, i) => distToSegmentSquared(p, line[i], q));
  return Math.sqrt(Math.min(...d2));
}
