/**
 * Dense linear algebra the solvers need: Cholesky factorisation and solves for small symmetric
 * positive definite systems, stored row-major in a Float64Array (`A[i * n + j]`).
 */

/**
 * Factors the SPD matrix `A` (n x n) in place into its lower Cholesky factor L (A = L Lᵀ; the
 * upper triangle is left untouched). Returns false when A is not numerically positive definite.
 */
export function choleskyFactor(A: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let k = 0; k < j; k++) d -= A[j * n + k]! * A[j * n + k]!;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    A[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= A[i * n + k]! * A[j * n + k]!;
      A[i * n + j] = s / ljj;
    }
  }
  return true;
}

/** Solves L Lᵀ x = b in place (b becomes x), with L from `choleskyFactor`. */
export function choleskySolveInPlace(L: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * b[k]!;
    b[i] = s / L[i * n + i]!;
  }
}

/**
 * Solves the SPD system A x = b; `A` and `b` are not modified. Returns undefined when A is not
 * positive definite.
 */
export function solveSpd(A: Float64Array, n: number, b: ArrayLike<number>): Float64Array | undefined {
  const L = Float64Array.from(A);
  if (!choleskyFactor(L, n)) return undefined;
  const x = Float64Array.from(b);
  choleskySolveInPlace(L, n, x);
  return x;
}

/** The inverse of the SPD matrix A (n x n, row-major), or undefined when A is not positive definite. */
export function inverseSpd(A: Float64Array, n: number): Float64Array | undefined {
  const L = Float64Array.from(A);
  if (!choleskyFactor(L, n)) return undefined;
  const inverse = new Float64Array(n * n);
  const column = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    column.fill(0);
    column[j] = 1;
    choleskySolveInPlace(L, n, column);
    for (let i = 0; i < n; i++) inverse[i * n + j] = column[i]!;
  }
  return inverse;
}

/** Euclidean norm of a vector. */
export function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
