/** Small helpers shared by the workloads: comparison, random data, flattening. */

/**
 * Max relative difference of `a` to the reference `ref`:
 *   max_i |a_i - ref_i| / max(|a_i|, |ref_i|, 1e-3 * max_j |ref_j|)
 * (element-wise relative, except that components more than three orders of magnitude below the
 * largest are compared on the scale of the largest, so cancellation noise in tiny components of a
 * float32 gradient does not dominate). Infinity when the lengths differ or a value is not finite.
 */
export function maxRelDiff(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  if (a.length !== ref.length) return Infinity;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) scale = Math.max(scale, Math.abs(ref[i]!));
  const floor = Math.max(1e-3 * scale, Number.MIN_VALUE);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = ref[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Infinity;
    const d = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), floor);
    if (d > worst) worst = d;
  }
  return worst;
}

/** Relative difference of two scalars. */
export function relDiff(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b ? 0 : Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

/** Concatenates arrays into one Float64Array. */
export function concat(...parts: ArrayLike<number>[]): Float64Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let o = 0;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) out[o + i] = p[i]!;
    o += p.length;
  }
  return out;
}

/** Deterministic PRNG (mulberry32) with a normal-deviate helper. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  uniform(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }
}

/** Central finite differences of a scalar function, perturbing a flat parameter vector in place. */
export function centralDifferences(f: () => number, params: Float64Array, out: Float64Array, offset = 0): void {
  const h0 = Math.cbrt(Number.EPSILON);
  for (let i = 0; i < params.length; i++) {
    const x = params[i]!;
    const h = h0 * Math.max(1, Math.abs(x));
    params[i] = x + h;
    const fp = f();
    params[i] = x - h;
    const fm = f();
    params[i] = x;
    out[offset + i] = (fp - fm) / (2 * h);
  }
}

/** Formats milliseconds with a unit that keeps three significant digits. */
export function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return "-";
  if (ms >= 1000) return (ms / 1000).toPrecision(3) + " s";
  if (ms >= 1) return ms.toPrecision(3) + " ms";
  return (ms * 1000).toPrecision(3) + " us";
}

export function fmtBytes(b: number | undefined): string {
  if (b === undefined || !Number.isFinite(b)) return "-";
  if (b >= 1 << 20) return (b / (1 << 20)).toFixed(1) + " MiB";
  if (b >= 1 << 10) return (b / (1 << 10)).toFixed(1) + " KiB";
  return b + " B";
}

export function fmtRatio(r: number | undefined): string {
  if (r === undefined || !Number.isFinite(r)) return "-";
  if (r >= 100) return r.toFixed(0) + "x";
  if (r >= 10) return r.toFixed(1) + "x";
  return r.toFixed(2) + "x";
}

export function fmtSci(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return "-";
  if (x === Infinity) return "inf";
  if (x === 0) return "0";
  return x.toExponential(1);
}
