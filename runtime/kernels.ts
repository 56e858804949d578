/**
 * Array kernels of `tsgrad/runtime` and their derivative kernels.
 *
 * Primal kernels (`dot`, `sum`, `axpy`, `matvec`, `matmul`, `logsumexp`, `softmax`,
 * `sigmoid`, `softplus`, `norm2`, `hypotOf`) are what user code calls. They are pure: they never mutate
 * their inputs, and array results are freshly allocated:
 *
 * - vectors are returned as `Float64Array`;
 * - matrices are returned as `Float64Array[]`, an ordinary array of row `Float64Array`s, so
 *   `C[i][j]` is row `i`, column `j` (row-major, like the `number[][]` inputs).
 *
 * Inputs are accepted as any `ArrayLike<number>` (`number[]`, `readonly number[]`,
 * `Float64Array`, ...) for vectors and `ArrayLike<ArrayLike<number>>` for matrices.
 *
 * Derivative kernels follow the naming convention `<kernel>_vjp` (reverse mode,
 * vector-Jacobian product) and `<kernel>_jvp` (forward mode, Jacobian-vector product); the
 * compiler emits calls to them.
 *
 * - `_vjp` kernels take the primal inputs and the output adjoint `g`, and ADD (`+=`) the input
 *   adjoints into caller-owned buffers. A buffer may be `null` when that input is inactive;
 *   the corresponding work is then skipped. Adjoints of scalar inputs cannot be passed by
 *   reference, so they are returned (`sigmoid_vjp`, `softplus_vjp`, and `axpy_vjp` which
 *   returns the adjoint of `alpha` and accumulates the array adjoints).
 * - `_jvp` kernels take each primal input followed by its tangent and return the output
 *   tangent (freshly allocated when it is an array). A `null` tangent means zero.
 *
 * Shapes are checked (mismatched lengths throw a `RangeError`); a buffer of the wrong length
 * would otherwise silently produce `NaN`s or grow a `number[]`.
 *
 * All kernels are plain exported functions with no module state, so bundlers can drop the
 * ones a program does not use.
 */

/** A read-only vector input: `number[]`, `readonly number[]`, `Float64Array`, ... */
export type Vec = ArrayLike<number>;

/** A read-only row-major matrix input: `A[i][j]` is row `i`, column `j` (e.g. `number[][]`). */
export type Mat = ArrayLike<ArrayLike<number>>;

/** A writable vector buffer (`number[]` or `Float64Array`), used for adjoints. */
export type MutVec = { [i: number]: number; length: number };

/** A writable row-major matrix buffer (e.g. `number[][]` or `Float64Array[]`), used for adjoints. */
export type MutMat = ArrayLike<MutVec>;

// ---------------------------------------------------------------------------------------------
// Internal helpers (not exported)
// ---------------------------------------------------------------------------------------------

function mismatch(kernel: string, what: string, expected: number, actual: number): RangeError {
  return new RangeError(
    `tsgrad/runtime ${kernel}: ${what} has length ${actual}, expected ${expected}`,
  );
}

/** Column count of a matrix: the length of its first row, or `fallback` when it has no rows. */
function colsOf(A: Mat, fallback: number): number {
  return A.length > 0 ? A[0]!.length : fallback;
}

/**
 * Largest element of `a`: `-Infinity` for an empty vector, `NaN` if any element is `NaN`.
 *
 * Shifting by this value makes `exp(a[i] - max)` at most 1. When the maximum is infinite the
 * shift `a[i] - max` is `NaN` for the elements equal to it, so callers use `expShift`.
 */
function maxOf(a: Vec): number {
  const n = a.length;
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

// `a[i] === m ? 1 : Math.exp(a[i] - m)` is exp(a[i] - m) for finite m, and the limit
// convention for infinite m: elements equal to an infinite maximum share the weight equally,
// all others get 0 (all -Infinity: uniform). It is written inline in the loops below.

// ---------------------------------------------------------------------------------------------
// dot
// ---------------------------------------------------------------------------------------------

/** Inner product `sum_i a[i] * b[i]`. Throws a `RangeError` when the lengths differ. */
export function dot(a: Vec, b: Vec): number {
  const n = a.length;
  if (b.length !== n) throw mismatch("dot", "b", n, b.length);
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/** Reverse mode of `dot`: `da += g * b`, `db += g * a` (each skipped when `null`). */
export function dot_vjp(a: Vec, b: Vec, g: number, da: MutVec | null, db: MutVec | null): void {
  const n = a.length;
  if (b.length !== n) throw mismatch("dot_vjp", "b", n, b.length);
  if (da !== null) {
    if (da.length !== n) throw mismatch("dot_vjp", "da", n, da.length);
    for (let i = 0; i < n; i++) da[i] = da[i]! + g * b[i]!;
  }
  if (db !== null) {
    if (db.length !== n) throw mismatch("dot_vjp", "db", n, db.length);
    for (let i = 0; i < n; i++) db[i] = db[i]! + g * a[i]!;
  }
}

/** Forward mode of `dot`: `<da, b> + <a, db>` (a `null` tangent is zero). */
export function dot_jvp(a: Vec, da: Vec | null, b: Vec, db: Vec | null): number {
  const n = a.length;
  if (b.length !== n) throw mismatch("dot_jvp", "b", n, b.length);
  let s = 0;
  if (da !== null) {
    if (da.length !== n) throw mismatch("dot_jvp", "da", n, da.length);
    for (let i = 0; i < n; i++) s += da[i]! * b[i]!;
  }
  if (db !== null) {
    if (db.length !== n) throw mismatch("dot_jvp", "db", n, db.length);
    for (let i = 0; i < n; i++) s += a[i]! * db[i]!;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// sum
// ---------------------------------------------------------------------------------------------

/** Sum of the elements (0 for an empty vector). */
export function sum(a: Vec): number {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]!;
  return s;
}

/** Reverse mode of `sum`: `da[i] = da[i]! + g` for every `i` (skipped when `da` is `null`). */
export function sum_vjp(a: Vec, g: number, da: MutVec | null): void {
  if (da === null) return;
  const n = a.length;
  if (da.length !== n) throw mismatch("sum_vjp", "da", n, da.length);
  for (let i = 0; i < n; i++) da[i] = da[i]! + g;
}

/**
 * Forward mode of `sum`: the sum of the tangent (0 when `da` is `null`). `_a` is unused; it
 * keeps the (input, tangent) argument pairs every `_jvp` kernel takes.
 */
export function sum_jvp(_a: Vec, da: Vec | null): number {
  if (da === null) return 0;
  const n = da.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += da[i]!;
  return s;
}

// ---------------------------------------------------------------------------------------------
// axpy
// ---------------------------------------------------------------------------------------------

/** `alpha * x + y` as a new `Float64Array`; `x` and `y` are not modified. */
export function axpy(alpha: number, x: Vec, y: Vec): Float64Array {
  const n = x.length;
  if (y.length !== n) throw mismatch("axpy", "y", n, y.length);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = alpha * x[i]! + y[i]!;
  return r;
}

/**
 * Reverse mode of `axpy`: `dx += alpha * g`, `dy += g` (each skipped when `null`).
 * Returns the adjoint of `alpha`, `<g, x>`.
 */
export function axpy_vjp(
  alpha: number,
  x: Vec,
  y: Vec,
  g: Vec,
  dx: MutVec | null,
  dy: MutVec | null,
): number {
  const n = x.length;
  if (y.length !== n) throw mismatch("axpy_vjp", "y", n, y.length);
  if (g.length !== n) throw mismatch("axpy_vjp", "g", n, g.length);
  let dalpha = 0;
  if (dx !== null) {
    if (dx.length !== n) throw mismatch("axpy_vjp", "dx", n, dx.length);
    for (let i = 0; i < n; i++) {
      const gi = g[i]!;
      dalpha += gi * x[i]!;
      dx[i] = dx[i]! + alpha * gi;
    }
  } else {
    for (let i = 0; i < n; i++) dalpha += g[i]! * x[i]!;
  }
  if (dy !== null) {
    if (dy.length !== n) throw mismatch("axpy_vjp", "dy", n, dy.length);
    for (let i = 0; i < n; i++) dy[i] = dy[i]! + g[i]!;
  }
  return dalpha;
}

/**
 * Forward mode of `axpy`: `dalpha * x + alpha * dx + dy` as a new `Float64Array`.
 * `dalpha === 0` is treated as an absent tangent (the `dalpha * x` term is skipped).
 */
export function axpy_jvp(
  alpha: number,
  dalpha: number,
  x: Vec,
  dx: Vec | null,
  y: Vec,
  dy: Vec | null,
): Float64Array {
  const n = x.length;
  if (y.length !== n) throw mismatch("axpy_jvp", "y", n, y.length);
  const r = new Float64Array(n);
  if (dalpha !== 0) {
    for (let i = 0; i < n; i++) r[i] = dalpha * x[i]!;
  }
  if (dx !== null) {
    if (dx.length !== n) throw mismatch("axpy_jvp", "dx", n, dx.length);
    for (let i = 0; i < n; i++) r[i] = r[i]! + alpha * dx[i]!;
  }
  if (dy !== null) {
    if (dy.length !== n) throw mismatch("axpy_jvp", "dy", n, dy.length);
    for (let i = 0; i < n; i++) r[i] = r[i]! + dy[i]!;
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// matvec
// ---------------------------------------------------------------------------------------------

/** `A x` for an m x n matrix `A` and a vector `x` of length n, as a new `Float64Array(m)`. */
export function matvec(A: Mat, x: Vec): Float64Array {
  const m = A.length;
  const n = x.length;
  const y = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const Ai = A[i]!;
    if (Ai.length !== n) throw mismatch("matvec", `row ${i} of A`, n, Ai.length);
    let s = 0;
    for (let j = 0; j < n; j++) s += Ai[j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/**
 * Reverse mode of `matvec` for the output adjoint `g` (length m):
 * `dA += g x^T`, `dx += A^T g` (each skipped when `null`).
 */
export function matvec_vjp(A: Mat, x: Vec, g: Vec, dA: MutMat | null, dx: MutVec | null): void {
  const m = A.length;
  const n = x.length;
  if (g.length !== m) throw mismatch("matvec_vjp", "g", m, g.length);
  if (dA !== null && dA.length !== m) throw mismatch("matvec_vjp", "dA", m, dA.length);
  if (dx !== null && dx.length !== n) throw mismatch("matvec_vjp", "dx", n, dx.length);
  for (let i = 0; i < m; i++) {
    const gi = g[i]!;
    if (dA !== null) {
      const dAi = dA[i]!;
      if (dAi.length !== n) throw mismatch("matvec_vjp", `row ${i} of dA`, n, dAi.length);
      for (let j = 0; j < n; j++) dAi[j] = dAi[j]! + gi * x[j]!;
    }
    if (dx !== null) {
      const Ai = A[i]!;
      if (Ai.length !== n) throw mismatch("matvec_vjp", `row ${i} of A`, n, Ai.length);
      for (let j = 0; j < n; j++) dx[j] = dx[j]! + gi * Ai[j]!;
    }
  }
}

/** Forward mode of `matvec`: `dA x + A dx` as a new `Float64Array(m)`. */
export function matvec_jvp(A: Mat, dA: Mat | null, x: Vec, dx: Vec | null): Float64Array {
  const m = A.length;
  const n = x.length;
  const y = new Float64Array(m);
  if (dA !== null && dA.length !== m) throw mismatch("matvec_jvp", "dA", m, dA.length);
  if (dx !== null && dx.length !== n) throw mismatch("matvec_jvp", "dx", n, dx.length);
  for (let i = 0; i < m; i++) {
    let s = 0;
    if (dA !== null) {
      const dAi = dA[i]!;
      if (dAi.length !== n) throw mismatch("matvec_jvp", `row ${i} of dA`, n, dAi.length);
      for (let j = 0; j < n; j++) s += dAi[j]! * x[j]!;
    }
    if (dx !== null) {
      const Ai = A[i]!;
      if (Ai.length !== n) throw mismatch("matvec_jvp", `row ${i} of A`, n, Ai.length);
      for (let j = 0; j < n; j++) s += Ai[j]! * dx[j]!;
    }
    y[i] = s;
  }
  return y;
}

// ---------------------------------------------------------------------------------------------
// matmul
// ---------------------------------------------------------------------------------------------

/**
 * `A B` for an m x k matrix `A` and a k x n matrix `B`, as `m` new row `Float64Array`s of
 * length n. (When k is 0 the column count n cannot be known and the rows are empty.)
 */
export function matmul(A: Mat, B: Mat): Float64Array[] {
  const m = A.length;
  const k = B.length;
  const n = colsOf(B, 0);
  for (let p = 0; p < k; p++) {
    const len = B[p]!.length;
    if (len !== n) throw mismatch("matmul", `row ${p} of B`, n, len);
  }
  const C: Float64Array[] = new Array<Float64Array>(m);
  for (let i = 0; i < m; i++) {
    const Ai = A[i]!;
    if (Ai.length !== k) throw mismatch("matmul", `row ${i} of A`, k, Ai.length);
    const Ci = new Float64Array(n);
    // i-k-j order: the inner loop runs along contiguous rows of B and C.
    for (let p = 0; p < k; p++) {
      const aip = Ai[p]!;
      const Bp = B[p]!;
      for (let j = 0; j < n; j++) Ci[j] = Ci[j]! + aip * Bp[j]!;
    }
    C[i] = Ci;
  }
  return C;
}

/**
 * Reverse mode of `matmul` for the output adjoint `G` (m x n):
 * `dA += G B^T`, `dB += A^T G` (each skipped when `null`).
 */
export function matmul_vjp(A: Mat, B: Mat, G: Mat, dA: MutMat | null, dB: MutMat | null): void {
  const m = A.length;
  const k = B.length;
  const n = colsOf(B, 0);
  if (G.length !== m) throw mismatch("matmul_vjp", "G", m, G.length);
  if (dA !== null && dA.length !== m) throw mismatch("matmul_vjp", "dA", m, dA.length);
  if (dB !== null && dB.length !== k) throw mismatch("matmul_vjp", "dB", k, dB.length);
  for (let p = 0; p < k; p++) {
    const len = B[p]!.length;
    if (len !== n) throw mismatch("matmul_vjp", `row ${p} of B`, n, len);
    if (dB !== null) {
      const dlen = dB[p]!.length;
      if (dlen !== n) throw mismatch("matmul_vjp", `row ${p} of dB`, n, dlen);
    }
  }
  for (let i = 0; i < m; i++) {
    const Gi = G[i]!;
    if (Gi.length !== n) throw mismatch("matmul_vjp", `row ${i} of G`, n, Gi.length);
    if (dA !== null) {
      // dA[i][p] += <G[i], B[p]>: both rows contiguous.
      const dAi = dA[i]!;
      if (dAi.length !== k) throw mismatch("matmul_vjp", `row ${i} of dA`, k, dAi.length);
      for (let p = 0; p < k; p++) {
        const Bp = B[p]!;
        let s = 0;
        for (let j = 0; j < n; j++) s += Gi[j]! * Bp[j]!;
        dAi[p] = dAi[p]! + s;
      }
    }
    if (dB !== null) {
      // dB[p] = dB[p]! + A[i][p] * G[i]: i-k-j order, inner loop along rows of dB and G.
      const Ai = A[i]!;
      if (Ai.length !== k) throw mismatch("matmul_vjp", `row ${i} of A`, k, Ai.length);
      for (let p = 0; p < k; p++) {
        const aip = Ai[p]!;
        const dBp = dB[p]!;
        for (let j = 0; j < n; j++) dBp[j] = dBp[j]! + aip * Gi[j]!;
      }
    }
  }
}

/** Forward mode of `matmul`: `dA B + A dB` as `m` new row `Float64Array`s of length n. */
export function matmul_jvp(A: Mat, dA: Mat | null, B: Mat, dB: Mat | null): Float64Array[] {
  const m = A.length;
  const k = B.length;
  const n = colsOf(B, 0);
  if (dA !== null && dA.length !== m) throw mismatch("matmul_jvp", "dA", m, dA.length);
  if (dB !== null && dB.length !== k) throw mismatch("matmul_jvp", "dB", k, dB.length);
  for (let p = 0; p < k; p++) {
    const len = B[p]!.length;
    if (len !== n) throw mismatch("matmul_jvp", `row ${p} of B`, n, len);
    if (dB !== null) {
      const dlen = dB[p]!.length;
      if (dlen !== n) throw mismatch("matmul_jvp", `row ${p} of dB`, n, dlen);
    }
  }
  const C: Float64Array[] = new Array<Float64Array>(m);
  for (let i = 0; i < m; i++) {
    const Ci = new Float64Array(n);
    if (dA !== null) {
      const dAi = dA[i]!;
      if (dAi.length !== k) throw mismatch("matmul_jvp", `row ${i} of dA`, k, dAi.length);
      for (let p = 0; p < k; p++) {
        const d = dAi[p]!;
        const Bp = B[p]!;
        for (let j = 0; j < n; j++) Ci[j] = Ci[j]! + d * Bp[j]!;
      }
    }
    if (dB !== null) {
      const Ai = A[i]!;
      if (Ai.length !== k) throw mismatch("matmul_jvp", `row ${i} of A`, k, Ai.length);
      for (let p = 0; p < k; p++) {
        const aip = Ai[p]!;
        const dBp = dB[p]!;
        for (let j = 0; j < n; j++) Ci[j] = Ci[j]! + aip * dBp[j]!;
      }
    }
    C[i] = Ci;
  }
  return C;
}

// ---------------------------------------------------------------------------------------------
// logsumexp / softmax
// ---------------------------------------------------------------------------------------------

/**
 * `log(sum_i exp(a[i]))`, computed stably as `max + log(sum_i exp(a[i] - max))`, so large
 * inputs neither overflow nor underflow. An empty vector gives `-Infinity`; `+Infinity`
 * elements give `+Infinity`; any `NaN` gives `NaN`.
 */
export function logsumexp(a: Vec): number {
  const n = a.length;
  const m = maxOf(a);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    s += v === m ? 1 : Math.exp(v - m);
  }
  return m + Math.log(s);
}

/**
 * Reverse mode of `logsumexp`: `da += g * softmax(a)`. When the maximum is infinite, the
 * elements equal to it share the weight equally (the limit convention used by `softmax`).
 */
export function logsumexp_vjp(a: Vec, g: number, da: MutVec | null): void {
  if (da === null) return;
  const n = a.length;
  if (da.length !== n) throw mismatch("logsumexp_vjp", "da", n, da.length);
  const m = maxOf(a);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    s += v === m ? 1 : Math.exp(v - m);
  }
  const scale = g / s;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    da[i] = da[i]! + scale * (v === m ? 1 : Math.exp(v - m));
  }
}

/** Forward mode of `logsumexp`: `<softmax(a), da>` (0 when `da` is `null`). */
export function logsumexp_jvp(a: Vec, da: Vec | null): number {
  if (da === null) return 0;
  const n = a.length;
  if (da.length !== n) throw mismatch("logsumexp_jvp", "da", n, da.length);
  const m = maxOf(a);
  let s = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const e = v === m ? 1 : Math.exp(v - m);
    s += e;
    t += e * da[i]!;
  }
  return t / s;
}

/**
 * `exp(a[i]) / sum_j exp(a[j])` as a new `Float64Array`, computed stably by subtracting the
 * maximum. Limit convention for infinite inputs: if the maximum is `+Infinity`, the elements
 * equal to it share probability 1 equally and the others get 0; if every element is
 * `-Infinity`, the result is uniform. Any `NaN` makes every entry `NaN`.
 */
export function softmax(a: Vec): Float64Array {
  const n = a.length;
  const r = new Float64Array(n);
  const m = maxOf(a);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const e = v === m ? 1 : Math.exp(v - m);
    r[i] = e;
    s += e;
  }
  const inv = 1 / s;
  for (let i = 0; i < n; i++) r[i] = r[i]! * inv;
  return r;
}

/**
 * Reverse mode of `softmax` for the output adjoint `g`:
 * `da[j] = da[j]! + p[j] * (g[j] - <g, p>)` with `p = softmax(a)`. `p` is recomputed on the fly (no
 * allocation).
 */
export function softmax_vjp(a: Vec, g: Vec, da: MutVec | null): void {
  if (da === null) return;
  const n = a.length;
  if (g.length !== n) throw mismatch("softmax_vjp", "g", n, g.length);
  if (da.length !== n) throw mismatch("softmax_vjp", "da", n, da.length);
  const m = maxOf(a);
  let s = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const e = v === m ? 1 : Math.exp(v - m);
    s += e;
    t += e * g[i]!;
  }
  const inv = 1 / s;
  const gp = t * inv; // <g, p>
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const p = (v === m ? 1 : Math.exp(v - m)) * inv;
    da[i] = da[i]! + p * (g[i]! - gp);
  }
}

/**
 * Forward mode of `softmax`: `p * (da - <p, da>)` with `p = softmax(a)`, as a new
 * `Float64Array` (zeros when `da` is `null`).
 */
export function softmax_jvp(a: Vec, da: Vec | null): Float64Array {
  const n = a.length;
  const r = new Float64Array(n);
  if (da === null) return r;
  if (da.length !== n) throw mismatch("softmax_jvp", "da", n, da.length);
  const m = maxOf(a);
  let s = 0;
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    const e = v === m ? 1 : Math.exp(v - m);
    r[i] = e;
    s += e;
    t += e * da[i]!;
  }
  const inv = 1 / s;
  const pd = t * inv; // <p, da>
  for (let i = 0; i < n; i++) r[i] = r[i]! * inv * (da[i]! - pd);
  return r;
}

// ---------------------------------------------------------------------------------------------
// sigmoid / softplus (scalar)
// ---------------------------------------------------------------------------------------------

/** Logistic function `1 / (1 + exp(-x))`, stable for large `|x|` (never overflows). */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * `sigmoid'(x) = sigmoid(x) * sigmoid(-x)`, computed as `e / (1 + e)^2` with `e = exp(-|x|)`,
 * which avoids the cancellation in `s * (1 - s)` for large `x`.
 */
function sigmoidDeriv(x: number): number {
  const e = Math.exp(-Math.abs(x));
  const d = 1 + e;
  return e / (d * d);
}

/** Reverse mode of `sigmoid`: returns `g * sigmoid(x) * (1 - sigmoid(x))`. */
export function sigmoid_vjp(x: number, g: number): number {
  return g * sigmoidDeriv(x);
}

/** Forward mode of `sigmoid`: returns `dx * sigmoid(x) * (1 - sigmoid(x))`. */
export function sigmoid_jvp(x: number, dx: number): number {
  return dx * sigmoidDeriv(x);
}

/**
 * `log(1 + exp(x))`, stable: `x + log1p(exp(-x))` for `x > 0`, `log1p(exp(x))` otherwise, so
 * it equals `x` for large positive `x` and `exp(x)` (not 0 early) for large negative `x`.
 */
export function softplus(x: number): number {
  if (x > 0) return x + Math.log1p(Math.exp(-x));
  return Math.log1p(Math.exp(x));
}

/** Reverse mode of `softplus`: returns `g * sigmoid(x)`. */
export function softplus_vjp(x: number, g: number): number {
  return g * sigmoid(x);
}

/** Forward mode of `softplus`: returns `dx * sigmoid(x)`. */
export function softplus_jvp(x: number, dx: number): number {
  return dx * sigmoid(x);
}

// ---------------------------------------------------------------------------------------------
// norm2
// ---------------------------------------------------------------------------------------------

/**
 * Euclidean norm `sqrt(sum_i a[i]^2)` (0 for an empty vector). The plain sum of squares is
 * used when it is safely in range; otherwise (it overflowed or fell into the subnormal range)
 * the vector is rescaled by its largest magnitude, so e.g. `norm2([1e200, 1e200])` is
 * `1.414...e200`, not `Infinity`.
 */
export function norm2(a: Vec): number {
  const n = a.length;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    s += v * v;
  }
  if (s > 1e-300 && s < Infinity) return Math.sqrt(s);
  if (s !== s) return s; // NaN
  // Rescale: s overflowed to Infinity, or lost precision to underflow (possibly to 0).
  let big = 0;
  for (let i = 0; i < n; i++) {
    const v = Math.abs(a[i]!);
    if (v > big) big = v;
  }
  if (big === 0 || big === Infinity) return big; // all zeros (or empty), or an infinite entry
  let t = 0;
  for (let i = 0; i < n; i++) {
    const v = a[i]! / big;
    t += v * v;
  }
  return big * Math.sqrt(t);
}

/**
 * Reverse mode of `norm2`: `da += g * a / norm2(a)`. At `a = 0` (where the norm is not
 * differentiable) the gradient is taken to be 0 by convention, so nothing is added.
 */
export function norm2_vjp(a: Vec, g: number, da: MutVec | null): void {
  if (da === null) return;
  const n = a.length;
  if (da.length !== n) throw mismatch("norm2_vjp", "da", n, da.length);
  const r = norm2(a);
  if (r === 0) return;
  if (r > 1e-290) {
    const scale = g / r;
    for (let i = 0; i < n; i++) da[i] = da[i]! + scale * a[i]!;
  } else {
    // g / r could overflow although every a[i] / r is at most 1.
    for (let i = 0; i < n; i++) da[i] = da[i]! + g * (a[i]! / r);
  }
}

/**
 * Forward mode of `norm2`: `<a, da> / norm2(a)`; 0 when `da` is `null` or `a = 0` (the same
 * convention as `norm2_vjp`).
 */
export function norm2_jvp(a: Vec, da: Vec | null): number {
  if (da === null) return 0;
  const n = a.length;
  if (da.length !== n) throw mismatch("norm2_jvp", "da", n, da.length);
  const r = norm2(a);
  if (r === 0) return 0;
  let s = 0;
  if (r > 1e-290) {
    const inv = 1 / r;
    for (let i = 0; i < n; i++) s += a[i]! * inv * da[i]!;
  } else {
    for (let i = 0; i < n; i++) s += (a[i]! / r) * da[i]!;
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// hypotOf
// ---------------------------------------------------------------------------------------------

/**
 * `Math.hypot(...a)`, to the last bit (what `Math.hypot(...v)` in user code compiles to; an
 * empty vector gives 0). `norm2` is the same norm computed by a sum of squares.
 */
export function hypotOf(a: Vec): number {
  return Math.hypot(...Array.from(a));
}

/** Reverse mode of `hypotOf`: `da += g * a / hypotOf(a)`; nothing at `a = 0` (gradient 0 by convention). */
export function hypotOf_vjp(a: Vec, g: number, da: MutVec | null): void {
  if (da === null) return;
  const n = a.length;
  if (da.length !== n) throw mismatch("hypotOf_vjp", "da", n, da.length);
  const r = hypotOf(a);
  if (r === 0) return;
  for (let i = 0; i < n; i++) da[i] = da[i]! + g * (a[i]! / r);
}

/** Forward mode of `hypotOf`: `<a, da> / hypotOf(a)`; 0 when `da` is `null` or `a = 0`. */
export function hypotOf_jvp(a: Vec, da: Vec | null): number {
  if (da === null) return 0;
  const n = a.length;
  if (da.length !== n) throw mismatch("hypotOf_jvp", "da", n, da.length);
  const r = hypotOf(a);
  if (r === 0) return 0;
  let s = 0;
  for (let i = 0; i < n; i++) s += (a[i]! / r) * da[i]!;
  return s;
}
