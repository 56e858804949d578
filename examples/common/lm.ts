/**
 * Levenberg-Marquardt for small dense nonlinear least squares, min ½‖r(p)‖², with the damping
 * update of Nielsen (1999) as in Madsen, Nielsen & Tingleff, "Methods for non-linear least
 * squares problems" (2004), algorithm 3.16.
 */
import { choleskyFactor, choleskySolveInPlace } from "./linalg.js";

export interface LeastSquaresProblem {
  /** The residual vector r(p) (length m). */
  residuals(p: Float64Array): ArrayLike<number>;
  /** The Jacobian dr/dp at p, row-major m x n (`J[i * n + k]` = dr_i/dp_k). */
  jacobian(p: Float64Array): Float64Array;
}

export interface LmOptions {
  maxIterations?: number;
  /** Stop when the gradient Jᵀr is this small (infinity norm; default 1e-10). */
  gradientTolerance?: number;
  /** Stop when the step is this small relative to p (default 1e-10). */
  stepTolerance?: number;
  /** Initial damping relative to the largest diagonal entry of JᵀJ (default 1e-3). */
  initialDamping?: number;
  onIteration?: (iteration: number, cost: number, damping: number) => void;
}

export interface LmResult {
  p: Float64Array;
  /** ½‖r‖² at p. */
  cost: number;
  residuals: Float64Array;
  /** JᵀJ at p (row-major n x n), e.g. for the parameters' covariance. */
  JtJ: Float64Array;
  iterations: number;
  /** Jacobian evaluations. */
  jacobians: number;
  converged: boolean;
}

function halfSquaredNorm(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i]! * r[i]!;
  return s / 2;
}

export function levenbergMarquardt(problem: LeastSquaresProblem, p0: ArrayLike<number>, options: LmOptions = {}): LmResult {
  const n = p0.length;
  const maxIterations = options.maxIterations ?? 200;
  const gradientTolerance = options.gradientTolerance ?? 1e-10;
  const stepTolerance = options.stepTolerance ?? 1e-10;

  const p = Float64Array.from(p0);
  let r = Float64Array.from(problem.residuals(p));
  let cost = halfSquaredNorm(r);
  const m = r.length;
  const A = new Float64Array(n * n);
  const g = new Float64Array(n);
  let jacobians = 0;
  const linearize = (): void => {
    const J = problem.jacobian(p);
    jacobians++;
    A.fill(0);
    g.fill(0);
    for (let i = 0; i < m; i++) {
      const ri = r[i]!;
      for (let a = 0; a < n; a++) {
        const ja = J[i * n + a]!;
        if (ja === 0) continue;
        g[a] = g[a]! + ja * ri;
        for (let b = 0; b <= a; b++) A[a * n + b] = A[a * n + b]! + ja * J[i * n + b]!;
      }
    }
    for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) A[b * n + a] = A[a * n + b]!;
  };
  linearize();

  let maxDiagonal = 0;
  for (let a = 0; a < n; a++) maxDiagonal = Math.max(maxDiagonal, A[a * n + a]!);
  let mu = (options.initialDamping ?? 1e-3) * maxDiagonal;
  let nu = 2;
  const M = new Float64Array(n * n);
  const h = new Float64Array(n);
  const pNew = new Float64Array(n);
  let iteration = 0;
  let converged = false;
  while (iteration < maxIterations) {
    let gNorm = 0;
    for (let a = 0; a < n; a++) gNorm = Math.max(gNorm, Math.abs(g[a]!));
    if (gNorm <= gradientTolerance) {
      converged = true;
      break;
    }
    M.set(A);
    for (let a = 0; a < n; a++) M[a * n + a] = M[a * n + a]! + mu;
    if (!choleskyFactor(M, n)) {
      mu *= nu;
      nu *= 2;
      continue;
    }
    for (let a = 0; a < n; a++) h[a] = -g[a]!;
    choleskySolveInPlace(M, n, h);
    let hNorm = 0;
    let pNorm = 0;
    for (let a = 0; a < n; a++) {
      hNorm += h[a]! * h[a]!;
      pNorm += p[a]! * p[a]!;
    }
    if (Math.sqrt(hNorm) <= stepTolerance * (Math.sqrt(pNorm) + stepTolerance)) {
      converged = true;
      break;
    }
    for (let a = 0; a < n; a++) pNew[a] = p[a]! + h[a]!;
    const rNew = Float64Array.from(problem.residuals(pNew));
    const costNew = halfSquaredNorm(rNew);
    // Decrease predicted by the linear model: ½ hᵀ(mu h - g).
    let predicted = 0;
    for (let a = 0; a < n; a++) predicted += h[a]! * (mu * h[a]! - g[a]!);
    predicted /= 2;
    const gain = (cost - costNew) / predicted;
    iteration++;
    if (Number.isFinite(costNew) && gain > 0) {
      p.set(pNew);
      r = rNew;
      cost = costNew;
      linearize();
      mu *= Math.max(1 / 3, 1 - (2 * gain - 1) ** 3);
      nu = 2;
    } else {
      mu *= nu;
      nu *= 2;
    }
    options.onIteration?.(iteration, cost, mu);
  }
  return { p, cost, residuals: r, JtJ: Float64Array.from(A), iterations: iteration, jacobians, converged };
}
