import { describe, expect, it } from "vitest";
import * as K from "../../runtime/index.js";
import { Tape, tape } from "../../runtime/index.js";
import { rng } from "../../src/cli/random.js";

// ---------------------------------------------------------------------------------------------
// Helpers: seeded PRNG, shapes, flattening, finite differences
// ---------------------------------------------------------------------------------------------

/** mulberry32: a small seeded 32-bit PRNG returning floats in [0, 1). */
const mulberry32 = rng;

type Rng = () => number;
/** Uniform in [-2, 2), bounded away from nothing in particular; plenty for smooth kernels. */
const uni = (r: Rng): number => 4 * r() - 2;
const vec = (r: Rng, n: number): number[] => Array.from({ length: n }, () => uni(r));
const mat = (r: Rng, m: number, n: number): number[][] =>
  Array.from({ length: m }, () => vec(r, n));

/** Inputs, adjoints and tangents in these tests: scalars, vectors, matrices. */
type Val = number | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

function isMat(v: Val): v is ArrayLike<ArrayLike<number>> {
  return typeof v !== "number" && v.length > 0 && typeof v[0] !== "number";
}

function flat(v: Val): number[] {
  if (typeof v === "number") return [v];
  const out: number[] = [];
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (typeof e === "number") out.push(e);
    else for (let j = 0; j < e.length; j++) out.push(e[j]!);
  }
  return out;
}

function fdot(a: Val, b: Val): number {
  const x = flat(a);
  const y = flat(b);
  expect(x.length).toBe(y.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** A fresh `number[]`/`number[][]`/number of the same shape as `v`, filled by `fill`. */
function like(v: Val, fill: () => number): Val {
  if (typeof v === "number") return fill();
  if (isMat(v)) return Array.from(v, (row) => Array.from(row, () => fill()));
  return Array.from(v as ArrayLike<number>, () => fill());
}
const zerosLike = (v: Val): Val => like(v, () => 0);

function deepCopy<T extends Val>(v: T): T {
  if (typeof v === "number") return v;
  if (isMat(v)) return Array.from(v, (row) => Array.from(row)) as unknown as T;
  return Array.from(v as ArrayLike<number>) as unknown as T;
}

/** Deep-freezes plain arrays so that any write by a kernel throws (ESM code is strict). */
function deepFreeze<T extends Val>(v: T): T {
  if (typeof v !== "number" && Array.isArray(v)) {
    for (const row of v) if (Array.isArray(row)) Object.freeze(row);
    Object.freeze(v);
  }
  return v;
}

/** Sets flat component `k` of a mutable copy `v` (scalars are handled by the caller). */
function setFlat(v: number[] | number[][], k: number, x: number): void {
  if (typeof v[0] === "number" || v.length === 0) {
    (v as number[])[k] = x;
    return;
  }
  let off = 0;
  for (const row of v as number[][]) {
    if (k < off + row.length) {
      row[k - off] = x;
      return;
    }
    off += row.length;
  }
  throw new Error("index out of range");
}

/** max_i |a_i - b_i| / max(max_i |b_i|, max_i |a_i|, floor) */
function relErr(a: Val, b: Val, floor = 1e-300): number {
  const x = flat(a);
  const y = flat(b);
  expect(x.length).toBe(y.length);
  let diff = 0;
  let scale = floor;
  for (let i = 0; i < x.length; i++) {
    diff = Math.max(diff, Math.abs(x[i]! - y[i]!));
    scale = Math.max(scale, Math.abs(x[i]!), Math.abs(y[i]!));
  }
  if (Number.isNaN(diff)) return NaN;
  return diff / scale;
}

/**
 * Central finite-difference gradient of `L(args) = <g, f(args)>` with respect to every
 * component of every input; step `1e-6 * max(1, |x|)`.
 */
function fdGradient(f: (...args: any[]) => Val, args: Val[], g: Val): Val[] {
  const L = (xs: Val[]): number => fdot(g, f(...xs));
  return args.map((arg, p) => {
    if (typeof arg === "number") {
      const h = 1e-6 * Math.max(1, Math.abs(arg));
      const plus = args.slice();
      const minus = args.slice();
      plus[p] = arg + h;
      minus[p] = arg - h;
      return (L(plus) - L(minus)) / (2 * h);
    }
    const grad = zerosLike(arg) as number[] | number[][];
    const base = flat(arg);
    for (let k = 0; k < base.length; k++) {
      const x = base[k]!;
      const h = 1e-6 * Math.max(1, Math.abs(x));
      const up = deepCopy(arg) as number[] | number[][];
      const dn = deepCopy(arg) as number[] | number[][];
      setFlat(up, k, x + h);
      setFlat(dn, k, x - h);
      const plus = args.slice();
      const minus = args.slice();
      plus[p] = up;
      minus[p] = dn;
      setFlat(grad, k, (L(plus) - L(minus)) / (2 * h));
    }
    return grad;
  });
}

// ---------------------------------------------------------------------------------------------
// Kernel descriptions
// ---------------------------------------------------------------------------------------------

interface Case {
  name: string;
  /** Random primal inputs. */
  gen: (r: Rng) => Val[];
  f: (...args: any[]) => Val;
  ref: (...args: any[]) => Val;
  /**
   * Calls the `_vjp` kernel. `bufs[p]` is the adjoint buffer of array input `p` (or null);
   * the adjoint of the scalar input (if any) is returned.
   */
  vjp: (args: any[], g: any, bufs: any[]) => number | void;
  /** Calls the `_jvp` kernel; `tans[p]` is a tangent (null allowed for arrays). */
  jvp: (args: any[], tans: any[]) => Val;
}

function refDot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
function refMatmul(A: number[][], B: number[][]): number[][] {
  const m = A.length;
  const k = B.length;
  const n = k > 0 ? B[0]!.length : 0;
  const C: number[][] = [];
  for (let i = 0; i < m; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += A[i]![p]! * B[p]![j]!;
      row.push(s);
    }
    C.push(row);
  }
  return C;
}
const refSoftmax = (a: number[]): number[] => {
  const e = a.map(Math.exp);
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
};

const cases: Case[] = [
  {
    name: "dot",
    gen: (r) => [vec(r, 7), vec(r, 7)],
    f: K.dot,
    ref: refDot,
    vjp: ([a, b], g, [da, db]) => K.dot_vjp(a, b, g, da, db),
    jvp: ([a, b], [da, db]) => K.dot_jvp(a, da, b, db),
  },
  {
    name: "sum",
    gen: (r) => [vec(r, 9)],
    f: K.sum,
    ref: (a: number[]) => a.reduce((x, y) => x + y, 0),
    vjp: ([a], g, [da]) => K.sum_vjp(a, g, da),
    jvp: ([a], [da]) => K.sum_jvp(a, da),
  },
  {
    name: "axpy",
    gen: (r) => [uni(r), vec(r, 6), vec(r, 6)],
    f: K.axpy,
    ref: (alpha: number, x: number[], y: number[]) => x.map((xi, i) => alpha * xi + y[i]!),
    vjp: ([alpha, x, y], g, [, dx, dy]) => K.axpy_vjp(alpha, x, y, g, dx, dy),
    jvp: ([alpha, x, y], [dalpha, dx, dy]) => K.axpy_jvp(alpha, dalpha ?? 0, x, dx, y, dy),
  },
  {
    name: "matvec",
    gen: (r) => [mat(r, 4, 5), vec(r, 5)],
    f: K.matvec,
    ref: (A: number[][], x: number[]) => A.map((row) => refDot(row, x)),
    vjp: ([A, x], g, [dA, dx]) => K.matvec_vjp(A, x, g, dA, dx),
    jvp: ([A, x], [dA, dx]) => K.matvec_jvp(A, dA, x, dx),
  },
  {
    name: "matmul",
    gen: (r) => [mat(r, 3, 4), mat(r, 4, 5)],
    f: K.matmul,
    ref: refMatmul,
    vjp: ([A, B], G, [dA, dB]) => K.matmul_vjp(A, B, G, dA, dB),
    jvp: ([A, B], [dA, dB]) => K.matmul_jvp(A, dA, B, dB),
  },
  {
    name: "logsumexp",
    gen: (r) => [vec(r, 6)],
    f: K.logsumexp,
    ref: (a: number[]) => Math.log(a.reduce((s, x) => s + Math.exp(x), 0)),
    vjp: ([a], g, [da]) => K.logsumexp_vjp(a, g, da),
    jvp: ([a], [da]) => K.logsumexp_jvp(a, da),
  },
  {
    name: "softmax",
    gen: (r) => [vec(r, 6)],
    f: K.softmax,
    ref: refSoftmax,
    vjp: ([a], g, [da]) => K.softmax_vjp(a, g, da),
    jvp: ([a], [da]) => K.softmax_jvp(a, da),
  },
  {
    name: "sigmoid",
    gen: (r) => [3 * uni(r)],
    f: K.sigmoid,
    ref: (x: number) => 1 / (1 + Math.exp(-x)),
    vjp: ([x], g) => K.sigmoid_vjp(x, g),
    jvp: ([x], [dx]) => K.sigmoid_jvp(x, dx ?? 0),
  },
  {
    name: "softplus",
    gen: (r) => [3 * uni(r)],
    f: K.softplus,
    ref: (x: number) => Math.log(1 + Math.exp(x)),
    vjp: ([x], g) => K.softplus_vjp(x, g),
    jvp: ([x], [dx]) => K.softplus_jvp(x, dx ?? 0),
  },
  {
    name: "norm2",
    gen: (r) => [vec(r, 8)],
    f: K.norm2,
    ref: (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0)),
    vjp: ([a], g, [da]) => K.norm2_vjp(a, g, da),
    jvp: ([a], [da]) => K.norm2_jvp(a, da),
  },
  {
    name: "hypotOf",
    gen: (r) => [vec(r, 8)],
    f: K.hypotOf,
    ref: (a: number[]) => Math.sqrt(a.reduce((s, x) => s + x * x, 0)),
    vjp: ([a], g, [da]) => K.hypotOf_vjp(a, g, da),
    jvp: ([a], [da]) => K.hypotOf_jvp(a, da),
  },
];

/** Runs the case's vjp with zero buffers for the `active` array inputs; returns gradients. */
function vjpGradient(c: Case, args: Val[], g: Val, active: boolean[] = args.map(() => true)) {
  const bufs = args.map((a, p) => (typeof a === "number" || !active[p] ? null : zerosLike(a)));
  const scalar = c.vjp(args, g, bufs);
  return args.map((a, p) => (typeof a === "number" ? (scalar as number) : bufs[p]));
}

const POINTS = 3;

describe.each(cases)("$name", (c) => {
  const seedBase = Array.from(c.name).reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7);
  const points = (): { args: Val[]; g: Val; v: Val[]; r: Rng }[] => {
    const r = mulberry32(seedBase);
    return Array.from({ length: POINTS }, () => {
      const args = c.gen(r);
      const out = c.f(...args);
      const g = like(out, () => uni(r));
      const v = args.map((a) => like(a, () => uni(r)));
      return { args, g, v, r };
    });
  };

  it("primal matches a straightforward reference", () => {
    for (const { args } of points()) {
      const out = c.f(...args);
      const ref = c.ref(...args);
      expect(flat(out).length).toBe(flat(ref).length);
      expect(relErr(out, ref)).toBeLessThanOrEqual(1e-12);
    }
  });

  it("array outputs are Float64Array (vectors) or Float64Array[] (matrices)", () => {
    const [{ args }] = points();
    const out = c.f(...args!);
    if (typeof out === "number") return;
    if (Array.isArray(out)) {
      expect(out.length).toBeGreaterThan(0);
      for (const row of out) expect(row).toBeInstanceOf(Float64Array);
    } else {
      expect(out).toBeInstanceOf(Float64Array);
    }
  });

  it("primal accepts Float64Array inputs", () => {
    const toTyped = (a: Val): Val =>
      typeof a === "number"
        ? a
        : isMat(a)
          ? Array.from(a, (row) => Float64Array.from(row))
          : Float64Array.from(a as ArrayLike<number>);
    for (const { args } of points()) {
      expect(relErr(c.f(...args.map(toTyped)), c.f(...args))).toBe(0);
    }
  });

  it("_vjp matches central finite differences", () => {
    for (const { args, g } of points()) {
      const an = vjpGradient(c, args, g);
      const fd = fdGradient(c.f, args, g);
      for (let p = 0; p < args.length; p++) {
        expect(relErr(an[p] as Val, fd[p]!, 1e-12), `input ${p}`).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it("_vjp accumulates into the buffers instead of overwriting them", () => {
    for (const { args, g, r } of points()) {
      const fresh = vjpGradient(c, args, g);
      const pre = args.map((a) => (typeof a === "number" ? null : like(a, () => uni(r))));
      const bufs = pre.map((b) => (b === null ? null : deepCopy(b)));
      c.vjp(args, g, bufs);
      for (let p = 0; p < args.length; p++) {
        if (pre[p] === null) continue;
        const added = flat(bufs[p]!).map((x, i) => x - flat(pre[p]!)[i]!);
        expect(relErr(added, fresh[p] as Val, 1e-12)).toBeLessThanOrEqual(1e-12);
      }
    }
  });

  it("_vjp handles null adjoint buffers (inactive inputs)", () => {
    for (const { args, g } of points()) {
      const full = vjpGradient(c, args, g);
      const arrayInputs = args.map((a, p) => (typeof a === "number" ? -1 : p)).filter((p) => p >= 0);
      // Each array input inactive alone, then all of them.
      const patterns = arrayInputs.map((q) => args.map((_, p) => p !== q));
      patterns.push(args.map(() => false));
      for (const active of patterns) {
        const part = vjpGradient(c, args, g, active);
        for (let p = 0; p < args.length; p++) {
          if (typeof args[p] !== "number" && !active[p]) expect(part[p]).toBeNull();
          else expect(part[p]).toEqual(full[p]);
        }
      }
    }
  });

  it("_jvp is the transpose of _vjp: <vjp(g), v> == <g, jvp(v)>", () => {
    for (const { args, g, v } of points()) {
      const grads = vjpGradient(c, args, g);
      let lhs = 0;
      let scale = 0;
      for (let p = 0; p < args.length; p++) {
        lhs += fdot(grads[p] as Val, v[p]!);
        const gf = flat(grads[p] as Val);
        const vf = flat(v[p]!);
        for (let i = 0; i < gf.length; i++) scale += Math.abs(gf[i]! * vf[i]!);
      }
      const rhs = fdot(g, c.jvp(args, v));
      expect(Number.isFinite(lhs)).toBe(true);
      expect(Math.abs(lhs - rhs)).toBeLessThanOrEqual(1e-10 * Math.max(scale, 1e-300));
    }
  });

  it("_jvp treats null tangents as zero", () => {
    for (const { args, v } of points()) {
      for (let q = 0; q < args.length; q++) {
        if (typeof args[q] === "number") continue;
        const withZeros = v.slice();
        withZeros[q] = zerosLike(args[q]!);
        const withNull: (Val | null)[] = v.slice();
        withNull[q] = null;
        expect(relErr(c.jvp(args, withNull), c.jvp(args, withZeros), 1e-12)).toBeLessThanOrEqual(
          1e-14,
        );
      }
      // All tangents absent: the output tangent is zero.
      const none = args.map((a) => (typeof a === "number" ? 0 : null));
      for (const x of flat(c.jvp(args, none))) expect(x).toBe(0);
    }
  });

  it("no kernel mutates its inputs", () => {
    for (const { args, g, v } of points()) {
      const frozen = args.map((a) => deepFreeze(deepCopy(a)));
      const gF = deepFreeze(deepCopy(g));
      const vF = v.map((t) => deepFreeze(deepCopy(t)));
      c.f(...frozen);
      vjpGradient(c, frozen, gF);
      c.jvp(frozen, vF);
      expect(frozen).toEqual(args);
      expect(gF).toEqual(g);
      expect(vF).toEqual(v);
      // Typed-array inputs cannot be frozen: compare copies.
      const typed = args.map((a) =>
        typeof a === "number"
          ? a
          : isMat(a)
            ? Array.from(a, (row) => Float64Array.from(row))
            : Float64Array.from(a as ArrayLike<number>),
      );
      const before = typed.map((t) => flat(t));
      c.f(...typed);
      vjpGradient(c, typed, g);
      c.jvp(typed, v);
      expect(typed.map((t) => flat(t))).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The checkers themselves can fail
// ---------------------------------------------------------------------------------------------

describe("test harness", () => {
  it("finite-difference check rejects a wrong gradient", () => {
    const r = mulberry32(99);
    const a = vec(r, 5);
    const fd = fdGradient(K.sum, [a], 1)[0]!;
    const wrong = new Float64Array(5);
    K.dot_vjp(a, a, 1, wrong, null); // gradient of <a, a>/2, not of sum
    expect(relErr(wrong, fd, 1e-12)).toBeGreaterThan(1e-3);
  });

  it("relErr detects a small perturbation", () => {
    expect(relErr([1, 2, 3], [1, 2, 3.001])).toBeGreaterThan(1e-4);
    expect(relErr([1, 2, 3], [1, 2, 3])).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Kernel-specific behaviour
// ---------------------------------------------------------------------------------------------

describe("stability at large inputs", () => {
  it("logsumexp", () => {
    expect(K.logsumexp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 12);
    expect(K.logsumexp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 12);
    expect(K.logsumexp([1000, -1000, 0])).toBe(1000);
    expect(K.logsumexp(new Float64Array([-1000]))).toBe(-1000);
    const da = [0, 0];
    K.logsumexp_vjp([1000, 1000], 2, da);
    expect(da).toEqual([1, 1]);
    const db = [0, 0, 0];
    K.logsumexp_vjp([1000, -1000, 0], 1, db);
    expect(db).toEqual([1, 0, 0]);
    expect(K.logsumexp_jvp([-1000, -1000], [1, 3])).toBeCloseTo(2, 14);
  });

  it("softmax", () => {
    expect(Array.from(K.softmax([1000, 1000]))).toEqual([0.5, 0.5]);
    expect(Array.from(K.softmax([-1000, -1000, -1000]))).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const p = K.softmax([1000, 0, -1000]);
    expect(Array.from(p)).toEqual([1, 0, 0]);
    const q = K.softmax([1000, 999]);
    expect(q[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 14);
    expect(q[1]).toBeCloseTo(1 / (1 + Math.exp(1)), 14);
    const da = [0, 0];
    K.softmax_vjp([1000, 999], [1, 0], da);
    const s = 1 / (1 + Math.exp(-1));
    expect(da[0]).toBeCloseTo(s * (1 - s), 14);
    expect(da[1]).toBeCloseTo(-s * (1 - s), 14);
    const t = K.softmax_jvp([-1000, -1000], [1, -1]);
    expect(t[0]).toBeCloseTo(0.5, 14);
    expect(t[1]).toBeCloseTo(-0.5, 14);
  });

  it("sigmoid", () => {
    expect(K.sigmoid(1000)).toBe(1);
    expect(K.sigmoid(-1000)).toBe(0);
    expect(K.sigmoid(0)).toBe(0.5);
    // Small tail values keep full relative precision (1 - sigmoid(x) would not).
    expect(K.sigmoid(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
    expect(K.sigmoid_vjp(1000, 1)).toBe(0);
    expect(K.sigmoid_vjp(-1000, 1)).toBe(0);
    expect(K.sigmoid_vjp(40, 1) / Math.exp(-40)).toBeCloseTo(1, 12);
    expect(K.sigmoid_jvp(-40, 2) / (2 * Math.exp(-40))).toBeCloseTo(1, 12);
    expect(K.sigmoid_vjp(0, 1)).toBe(0.25);
  });

  it("softplus", () => {
    expect(K.softplus(1000)).toBe(1000);
    expect(K.softplus(-1000)).toBe(0);
    expect(K.softplus(-700) / Math.exp(-700)).toBeCloseTo(1, 12);
    expect(K.softplus(40)).toBe(40 + Math.exp(-40)); // == 40 in double precision
    expect(K.softplus(0)).toBeCloseTo(Math.LN2, 15);
    expect(K.softplus_vjp(1000, 3)).toBe(3);
    expect(K.softplus_vjp(-1000, 3)).toBe(0);
    expect(K.softplus_jvp(-700, 1) / Math.exp(-700)).toBeCloseTo(1, 12);
  });
});

describe("edge cases", () => {
  it("logsumexp / softmax of empty and infinite inputs", () => {
    expect(K.logsumexp([])).toBe(-Infinity);
    expect(K.softmax([]).length).toBe(0);
    expect(K.logsumexp([-Infinity, -Infinity])).toBe(-Infinity);
    expect(K.logsumexp([-Infinity, 0])).toBe(0);
    expect(K.logsumexp([Infinity, 0])).toBe(Infinity);
    expect(Array.from(K.softmax([Infinity, 0, Infinity]))).toEqual([0.5, 0, 0.5]);
    expect(Array.from(K.softmax([-Infinity, 0]))).toEqual([0, 1]);
    expect(K.logsumexp([0, NaN, 1])).toBeNaN();
    expect(Array.from(K.softmax([0, NaN])).every(Number.isNaN)).toBe(true);
    const da = [0, 0];
    K.logsumexp_vjp([], 1, []);
    K.logsumexp_vjp([-Infinity, 0], 1, da);
    expect(da).toEqual([0, 1]);
  });

  it("hypotOf is Math.hypot of the elements, to the last bit; gradient at 0 is 0", () => {
    const v = [0.3, -1.2, 2, 1e-3];
    expect(K.hypotOf(v)).toBe(Math.hypot(...v));
    expect(K.hypotOf(new Float64Array(v))).toBe(Math.hypot(...v));
    expect(K.hypotOf([])).toBe(0);
    const da = [7, 7];
    K.hypotOf_vjp([0, 0], 5, da);
    expect(da).toEqual([7, 7]);
    expect(K.hypotOf_jvp([0, 0], [1, 1])).toBe(0);
  });

  it("norm2 avoids overflow and underflow; gradient at 0 is 0", () => {
    expect(K.norm2([3e200, 4e200]) / 5e200).toBeCloseTo(1, 14);
    expect(K.norm2([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    expect(K.norm2([])).toBe(0);
    expect(K.norm2([0, 0])).toBe(0);
    expect(K.norm2([3, 4])).toBe(5);
    expect(K.norm2([Infinity, 1])).toBe(Infinity);
    expect(K.norm2([NaN, 1])).toBeNaN();
    const da = [1, 2];
    K.norm2_vjp([0, 0], 5, da);
    expect(da).toEqual([1, 2]);
    expect(K.norm2_jvp([0, 0], [1, 1])).toBe(0);
    const db = [0, 0];
    K.norm2_vjp([3e-200, 4e-200], 1, db);
    expect(db[0]).toBeCloseTo(0.6, 14);
    expect(db[1]).toBeCloseTo(0.8, 14);
    expect(K.norm2_jvp([3e-200, 4e-200], [1, 1])).toBeCloseTo(1.4, 14);
  });

  it("empty vectors and matrices", () => {
    expect(K.dot([], [])).toBe(0);
    expect(K.sum([])).toBe(0);
    expect(K.axpy(2, [], []).length).toBe(0);
    expect(K.matvec([], [1, 2]).length).toBe(0);
    expect(K.matmul([], [[1, 2]])).toEqual([]);
    const C = K.matmul([[], []], []);
    expect(C.length).toBe(2);
    expect(C[0]!.length).toBe(0);
  });

  it("shape mismatches throw RangeError", () => {
    expect(() => K.dot([1, 2], [1])).toThrow(RangeError);
    expect(() => K.axpy(1, [1, 2], [1])).toThrow(RangeError);
    expect(() => K.matvec([[1, 2]], [1])).toThrow(RangeError);
    expect(() => K.matvec([[1, 2], [3]], [1, 2])).toThrow(RangeError);
    expect(() => K.matmul([[1, 2]], [[1]])).toThrow(RangeError);
    expect(() => K.matmul([[1]], [[1, 2], [3]])).toThrow(/matmul/);
    expect(() => K.dot_vjp([1, 2], [3, 4], 1, [0], null)).toThrow(RangeError);
    expect(() => K.sum_vjp([1, 2], 1, [0, 0, 0])).toThrow(RangeError);
    expect(() => K.matvec_vjp([[1, 2]], [1, 2], [1, 2], null, null)).toThrow(RangeError);
    expect(() => K.matmul_vjp([[1]], [[1]], [[1]], [[0, 0]], null)).toThrow(RangeError);
    expect(() => K.softmax_vjp([1, 2], [1], [0, 0])).toThrow(RangeError);
    expect(() => K.norm2_jvp([1, 2], [1])).toThrow(RangeError);
  });

  it("vjp kernels also write into Float64Array and Float64Array[] buffers", () => {
    const A = [
      [1, 2],
      [3, 4],
    ];
    const B = [
      [5, 6],
      [7, 8],
    ];
    const G = [
      [1, 0],
      [0, 1],
    ];
    const dA = [new Float64Array(2), new Float64Array(2)];
    const dB = [new Float64Array(2), new Float64Array(2)];
    K.matmul_vjp(A, B, G, dA, dB);
    // dA = G B^T = B^T, dB = A^T G = A^T
    expect(dA.map((r) => Array.from(r))).toEqual([
      [5, 7],
      [6, 8],
    ]);
    expect(dB.map((r) => Array.from(r))).toEqual([
      [1, 3],
      [2, 4],
    ]);
  });

  it("matmul at MLP sizes (64x32 times 32x64) matches the reference", () => {
    const r = mulberry32(2024);
    const X = mat(r, 64, 32);
    const W = mat(r, 32, 64);
    expect(relErr(K.matmul(X, W), refMatmul(X, W))).toBeLessThanOrEqual(1e-12);
    const G = mat(r, 64, 64);
    const dX = mat(r, 64, 32).map((row) => row.map(() => 0));
    const dW = mat(r, 32, 64).map((row) => row.map(() => 0));
    K.matmul_vjp(X, W, G, dX, dW);
    const Wt = W[0]!.map((_, j) => W.map((row) => row[j]!));
    const Xt = X[0]!.map((_, j) => X.map((row) => row[j]!));
    expect(relErr(dX, refMatmul(G, Wt))).toBeLessThanOrEqual(1e-12);
    expect(relErr(dW, refMatmul(Xt, G))).toBeLessThanOrEqual(1e-12);
  });

  it("matmul propagates NaN and Infinity like the plain formula (no zero skipping)", () => {
    expect(K.matmul([[0]], [[Infinity]])[0]![0]).toBeNaN();
    expect(K.matvec([[0]], [NaN])[0]).toBeNaN();
  });
});

// ---------------------------------------------------------------------------------------------
// Tape
// ---------------------------------------------------------------------------------------------

describe("Tape", () => {
  it("pops values in reverse push order", () => {
    const t = new Tape();
    t.push(1.5);
    t.push(-2);
    t.push(3.25);
    expect(t.top).toBe(3);
    expect(t.pop()).toBe(3.25);
    expect(t.pop()).toBe(-2);
    expect(t.pop()).toBe(1.5);
    expect(t.top).toBe(0);
  });

  it("grows past its initial capacity and keeps every entry", () => {
    const t = new Tape(16, 16);
    const bytes0 = t.reservedBytes;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      t.push(i + 0.5);
      t.pushInt(i * 3);
    }
    expect(t.top).toBe(n);
    expect(t.intTop).toBe(n);
    expect(t.values.length).toBeGreaterThanOrEqual(n);
    expect(t.ints.length).toBeGreaterThanOrEqual(n);
    expect(t.reservedBytes).toBeGreaterThan(bytes0);
    for (let i = n - 1; i >= 0; i--) {
      expect(t.popInt()).toBe(i * 3);
      expect(t.pop()).toBe(i + 0.5);
    }
    expect(t.top).toBe(0);
    expect(t.intTop).toBe(0);
  });

  it("keeps ints separate from values", () => {
    const t = new Tape();
    t.push(0.25);
    t.pushInt(7);
    t.push(0.75);
    t.pushInt(9);
    expect(t.top).toBe(2);
    expect(t.intTop).toBe(2);
    expect(t.popInt()).toBe(9);
    expect(t.popInt()).toBe(7);
    expect(t.pop()).toBe(0.75);
    expect(t.pop()).toBe(0.25);
  });

  it("clear empties both stacks and keeps the memory", () => {
    const t = new Tape(16, 16);
    for (let i = 0; i < 100; i++) t.push(i);
    t.pushInt(1);
    const bytes = t.reservedBytes;
    t.clear();
    expect(t.top).toBe(0);
    expect(t.intTop).toBe(0);
    expect(t.reservedBytes).toBe(bytes);
    t.push(42);
    expect(t.pop()).toBe(42);
  });

  it("exports a shared tape instance", () => {
    expect(tape).toBeInstanceOf(Tape);
  });
});
