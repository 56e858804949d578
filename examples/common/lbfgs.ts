/**
 * L-BFGS (Nocedal & Wright, Numerical Optimization, algorithms 7.4 and 7.5) with a line search
 * satisfying the strong Wolfe conditions (algorithms 3.5 and 3.6, cubic interpolation).
 */

/** Returns f(x) and writes the gradient into `g` (overwriting it). */
export type ValueAndGradient = (x: Float64Array, g: Float64Array) => number;

export interface LbfgsOptions {
  /** Number of correction pairs kept (default 8). */
  memory?: number;
  maxIterations?: number;
  /** Stop when the gradient's infinity norm is at most this (default 1e-8). */
  gradientTolerance?: number;
  /** Called after every iteration. */
  onIteration?: (iteration: number, value: number, gradientNorm: number) => void;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  gradientNorm: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
}

function dotv(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}

/** Minimiser of the cubic interpolating f and f' at a and b, kept inside [a, b] (safeguarded). */
function cubicMinimizer(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  if (disc >= 0) {
    const d2 = Math.sign(b - a) * Math.sqrt(disc);
    const t = b - (b - a) * ((db + d2 - d1) / (db - da + 2 * d2));
    if (Number.isFinite(t) && t > lo + 0.1 * (hi - lo) && t < hi - 0.1 * (hi - lo)) return t;
  }
  return (a + b) / 2;
}

export function lbfgs(fg: ValueAndGradient, x0: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const n = x0.length;
  const memory = options.memory ?? 8;
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.gradientTolerance ?? 1e-8;
  const c1 = 1e-4;
  const c2 = 0.9;

  const x = Float64Array.from(x0);
  const g = new Float64Array(n);
  let evaluations = 1;
  let f = fg(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const d = new Float64Array(n);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);

  // f and f' along the search direction at step t; leaves x + t d in xNew, its gradient in gNew.
  const phi = (t: number): { f: number; df: number } => {
    for (let i = 0; i < n; i++) xNew[i] = x[i]! + t * d[i]!;
    evaluations++;
    const value = fg(xNew, gNew);
    return { f: value, df: dotv(gNew, d) };
  };

  let iteration = 0;
  let converged = maxAbs(g) <= tolerance;
  while (!converged && iteration < maxIterations) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i]!;
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dotv(S[k]!, d);
      for (let i = 0; i < n; i++) d[i] = d[i]! - alpha[k]! * Y[k]![i]!;
    }
    const gamma = S.length > 0 ? dotv(S[S.length - 1]!, Y[Y.length - 1]!) / dotv(Y[Y.length - 1]!, Y[Y.length - 1]!) : 1 / Math.max(1, Math.sqrt(dotv(g, g)));
    for (let i = 0; i < n; i++) d[i] = d[i]! * gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k]! * dotv(Y[k]!, d);
      for (let i = 0; i < n; i++) d[i] = d[i]! + (alpha[k]! - beta) * S[k]![i]!;
    }
    let df0 = dotv(g, d);
    if (!(df0 < 0)) {
      // Not a descent direction (should not happen with positive curvature pairs): restart.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      df0 = -dotv(g, g);
    }

    // Strong Wolfe line search: bracket, then zoom.
    const f0 = f;
    let tPrev = 0;
    let fPrev = f0;
    let dfPrev = df0;
    let t = 1;
    let accepted: { t: number; f: number } | undefined;
    const zoom = (lo: number, flo: number, dflo: number, hi: number, fhi: number, dfhi: number): { t: number; f: number } | undefined => {
      for (let j = 0; j < 30; j++) {
        const tj = cubicMinimizer(lo, flo, dflo, hi, fhi, dfhi);
        const p = phi(tj);
        if (p.f > f0 + c1 * tj * df0 || p.f >= flo) {
          hi = tj;
          fhi = p.f;
          dfhi = p.df;
        } else {
          if (Math.abs(p.df) <= -c2 * df0) return { t: tj, f: p.f };
          if (p.df * (hi - lo) >= 0) {
            hi = lo;
            fhi = flo;
            dfhi = dflo;
          }
          lo = tj;
          flo = p.f;
          dflo = p.df;
        }
      }
      // Give up on the curvature condition; take the best point seen if it decreased f.
      if (flo < f0) {
        phi(lo);
        return { t: lo, f: flo };
      }
      return undefined;
    };
    for (let j = 0; j < 30; j++) {
      const p = phi(t);
      if (!Number.isFinite(p.f) || p.f > f0 + c1 * t * df0 || (j > 0 && p.f >= fPrev)) {
        if (!Number.isFinite(p.f)) {
          t = (tPrev + t) / 2;
          continue;
        }
        accepted = zoom(tPrev, fPrev, dfPrev, t, p.f, p.df);
        break;
      }
      if (Math.abs(p.df) <= -c2 * df0) {
        accepted = { t, f: p.f };
        break;
      }
      if (p.df >= 0) {
        accepted = zoom(t, p.f, p.df, tPrev, fPrev, dfPrev);
        break;
      }
      tPrev = t;
      fPrev = p.f;
      dfPrev = p.df;
      t *= 2;
    }
    if (!accepted) break; // no progress possible along d: at the limit of floating point.

    // xNew / gNew hold the accepted point (every exit from the search evaluates it last).
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i]! - x[i]!;
      y[i] = gNew[i]! - g[i]!;
    }
    const sy = dotv(s, y);
    if (sy > 1e-12 * Math.sqrt(dotv(s, s) * dotv(y, y))) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    const decrease = f - accepted.f;
    f = accepted.f;
    iteration++;
    const gNorm = maxAbs(g);
    options.onIteration?.(iteration, f, gNorm);
    converged = gNorm <= tolerance;
    if (!converged && decrease <= 1e-16 * Math.max(1, Math.abs(f))) break;
  }
  return { x, value: f, gradientNorm: maxAbs(g), iterations: iteration, evaluations, converged };
}
