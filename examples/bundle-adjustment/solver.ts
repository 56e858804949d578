/**
 * One Levenberg-Marquardt solve of a bundle-adjustment problem, with the reduced camera system
 * (Schur complement): the normal equations [U W; Wᵀ V] [dc; dp] = -[gc; gp] have a
 * block-diagonal V (one 3 x 3 block per point), so the points are eliminated first,
 * (U - W V⁻¹ Wᵀ) dc = -gc + W V⁻¹ gp, and recovered afterwards, dp = V⁻¹ (-gp - Wᵀ dc).
 * Damping is Marquardt's, mu times the diagonal of JᵀJ; the update of mu is Nielsen's.
 *
 * The Jacobian blocks come from `block`, which the caller computes with tsgrad's generated
 * reverse mode. A camera's 11 columns are its parameters in ADBench's order: rotation x y z,
 * centre x y z, focal, principal x y, k1 k2; a point's 3 columns are x y z.
 */
import { choleskyFactor, choleskySolveInPlace } from "../common/linalg.js";
import type { Camera, Vec2, Vec3 } from "./model.js";
import type { Problem } from "./scene.js";

/** Residual (2) and Jacobian blocks of one observation: dr/dcam (2 x 11) and dr/dpoint (2 x 3), row-major. */
export type BlockFunction = (cam: Camera, point: Vec3, feat: Vec2, r: Float64Array, Jc: Float64Array, Jp: Float64Array) => void;
export type ResidualFunction = (cam: Camera, point: Vec3, feat: Vec2) => Vec2;

export interface SolveOptions {
  maxIterations: number;
  /** Stop when an accepted step lowers the cost by less than this fraction (default 1e-6). */
  relativeTolerance?: number;
  onIteration?: (iteration: number, cost: number, mu: number, accepted: boolean) => void;
}

const NC = 11;
const NP = 3;

/** ½ Σ ‖r‖² over all observations. */
export function cost(problem: Problem, residual: ResidualFunction): number {
  let total = 0;
  for (let k = 0; k < problem.feats.length; k++) {
    const r = residual(problem.cams[problem.camOf[k]!]!, problem.points[problem.pointOf[k]!]!, problem.feats[k]!);
    total += r.x * r.x + r.y * r.y;
  }
  return total / 2;
}

/** Solves in place (problem.cams and problem.points are updated); returns the iterations run. */
export function solve(problem: Problem, residual: ResidualFunction, block: BlockFunction, options: SolveOptions): { iterations: number; blocks: number } {
  const nCams = problem.cams.length;
  const nPoints = problem.points.length;
  const nObs = problem.feats.length;
  const N = nCams * NC;
  const r = new Float64Array(2 * nObs);
  const Jc = new Float64Array(nObs * 2 * NC);
  const Jp = new Float64Array(nObs * 2 * NP);
  const U = new Float64Array(nCams * NC * NC);
  const V = new Float64Array(nPoints * NP * NP);
  const W = new Float64Array(nObs * NC * NP);
  const gc = new Float64Array(N);
  const gp = new Float64Array(nPoints * NP);
  const observationsOf: number[][] = Array.from({ length: nPoints }, () => []);
  for (let k = 0; k < nObs; k++) observationsOf[problem.pointOf[k]!]!.push(k);
  let blocks = 0;

  const linearize = (): void => {
    U.fill(0);
    V.fill(0);
    gc.fill(0);
    gp.fill(0);
    for (let k = 0; k < nObs; k++) {
      const c = problem.camOf[k]!;
      const j = problem.pointOf[k]!;
      const rk = r.subarray(2 * k, 2 * k + 2);
      const jc = Jc.subarray(k * 2 * NC, (k + 1) * 2 * NC);
      const jp = Jp.subarray(k * 2 * NP, (k + 1) * 2 * NP);
      block(problem.cams[c]!, problem.points[j]!, problem.feats[k]!, rk, jc, jp);
      blocks++;
      for (let row = 0; row < 2; row++) {
        for (let a = 0; a < NC; a++) {
          const ja = jc[row * NC + a]!;
          gc[c * NC + a] = gc[c * NC + a]! + ja * rk[row]!;
          for (let b = 0; b < NC; b++) U[c * NC * NC + a * NC + b] = U[c * NC * NC + a * NC + b]! + ja * jc[row * NC + b]!;
          for (let b = 0; b < NP; b++) W[k * NC * NP + a * NP + b] = (row === 0 ? 0 : W[k * NC * NP + a * NP + b]!) + ja * jp[row * NP + b]!;
        }
        for (let a = 0; a < NP; a++) {
          const ja = jp[row * NP + a]!;
          gp[j * NP + a] = gp[j * NP + a]! + ja * rk[row]!;
          for (let b = 0; b < NP; b++) V[j * NP * NP + a * NP + b] = V[j * NP * NP + a * NP + b]! + ja * jp[row * NP + b]!;
        }
      }
    }
  };

  let current = cost(problem, residual);
  linearize();
  let mu = 1e-4;
  let nu = 2;
  const S = new Float64Array(N * N);
  const rhs = new Float64Array(N);
  const Vinv = new Float64Array(nPoints * NP * NP);
  const dc = new Float64Array(N);
  const dp = new Float64Array(nPoints * NP);
  const WV = new Float64Array(NC * NP);
  let iteration = 0;
  while (iteration < options.maxIterations) {
    iteration++;
    // Damped blocks: U + mu diag(U), V + mu diag(V); invert each V block.
    S.fill(0);
    for (let c = 0; c < nCams; c++) {
      for (let a = 0; a < NC; a++) {
        for (let b = 0; b < NC; b++) S[(c * NC + a) * N + c * NC + b] = U[c * NC * NC + a * NC + b]!;
        const diagonal = U[c * NC * NC + a * NC + a]!;
        // A parameter the caller holds fixed has a zero Jacobian column: its step is then 0.
        S[(c * NC + a) * N + c * NC + a] = S[(c * NC + a) * N + c * NC + a]! + (diagonal === 0 ? 1 : mu * Math.max(diagonal, 1e-9));
        rhs[c * NC + a] = -gc[c * NC + a]!;
      }
    }
    for (let j = 0; j < nPoints; j++) {
      const Vj = Float64Array.from(V.subarray(j * 9, j * 9 + 9));
      for (let a = 0; a < 3; a++) Vj[a * 4] = Vj[a * 4]! + mu * Math.max(V[j * 9 + a * 4]!, 1e-9);
      invert3(Vj, Vinv.subarray(j * 9, j * 9 + 9));
    }
    // Eliminate the points: S -= W_k V⁻¹ W_lᵀ, rhs += W_k V⁻¹ gp, for observations k, l of each point.
    for (let j = 0; j < nPoints; j++) {
      const Vi = Vinv.subarray(j * 9, j * 9 + 9);
      for (const k of observationsOf[j]!) {
        const ck = problem.camOf[k]!;
        // WV = W_k V⁻¹ (11 x 3)
        for (let a = 0; a < NC; a++) {
          for (let b = 0; b < NP; b++) {
            let s = 0;
            for (let t = 0; t < NP; t++) s += W[k * NC * NP + a * NP + t]! * Vi[t * 3 + b]!;
            WV[a * NP + b] = s;
          }
          let s = 0;
          for (let t = 0; t < NP; t++) s += WV[a * NP + t]! * gp[j * NP + t]!;
          rhs[ck * NC + a] = rhs[ck * NC + a]! + s;
        }
        for (const l of observationsOf[j]!) {
          const cl = problem.camOf[l]!;
          for (let a = 0; a < NC; a++) {
            for (let b = 0; b < NC; b++) {
              let s = 0;
              for (let t = 0; t < NP; t++) s += WV[a * NP + t]! * W[l * NC * NP + b * NP + t]!;
              S[(ck * NC + a) * N + cl * NC + b] = S[(ck * NC + a) * N + cl * NC + b]! - s;
            }
          }
        }
      }
    }
    let accepted = false;
    if (choleskyFactor(S, N)) {
      dc.set(rhs);
      choleskySolveInPlace(S, N, dc);
      // Back-substitute the points: dp_j = V⁻¹ (-gp_j - Σ_k W_kᵀ dc_cam(k)).
      for (let j = 0; j < nPoints; j++) {
        const t = [-gp[j * 3]!, -gp[j * 3 + 1]!, -gp[j * 3 + 2]!];
        for (const k of observationsOf[j]!) {
          const ck = problem.camOf[k]!;
          for (let b = 0; b < NP; b++) for (let a = 0; a < NC; a++) t[b] = t[b]! - W[k * NC * NP + a * NP + b]! * dc[ck * NC + a]!;
        }
        for (let a = 0; a < 3; a++) dp[j * 3 + a] = Vinv[j * 9 + a * 3]! * t[0]! + Vinv[j * 9 + a * 3 + 1]! * t[1]! + Vinv[j * 9 + a * 3 + 2]! * t[2]!;
      }
      // Predicted decrease of the damped linear model: ½ δᵀ (mu D δ - g).
      let predicted = 0;
      for (let c = 0; c < nCams; c++) {
        for (let a = 0; a < NC; a++) {
          const i = c * NC + a;
          predicted += dc[i]! * (mu * Math.max(U[c * NC * NC + a * NC + a]!, 1e-9) * dc[i]! - gc[i]!);
        }
      }
      for (let j = 0; j < nPoints; j++) {
        for (let a = 0; a < 3; a++) predicted += dp[j * 3 + a]! * (mu * Math.max(V[j * 9 + a * 4]!, 1e-9) * dp[j * 3 + a]! - gp[j * 3 + a]!);
      }
      predicted /= 2;
      // Moved copies: the saved cameras and points are the current ones.
      const saved = { cams: problem.cams, points: problem.points };
      problem.cams = problem.cams.map((cam, c) => moveCamera(cam, dc, c * NC));
      problem.points = problem.points.map((point, j) => movePoint(point, dp, j * NP));
      const next = cost(problem, residual);
      const gain = (current - next) / predicted;
      if (Number.isFinite(next) && gain > 0) {
        accepted = true;
        const decrease = current - next;
        current = next;
        linearize();
        mu *= Math.max(1 / 3, 1 - (2 * gain - 1) ** 3);
        nu = 2;
        options.onIteration?.(iteration, current, mu, true);
        if (decrease <= (options.relativeTolerance ?? 1e-6) * current) break;
        continue;
      }
      problem.cams = saved.cams;
      problem.points = saved.points;
    }
    if (!accepted) {
      mu *= nu;
      nu *= 2;
      options.onIteration?.(iteration, current, mu, false);
    }
  }
  return { iterations: iteration, blocks };
}

/** The camera moved by the step d[at .. at + 11) (its columns' order, above). */
function moveCamera(cam: Camera, d: Float64Array, at: number): Camera {
  return {
    rotation: movePoint(cam.rotation, d, at),
    centre: movePoint(cam.centre, d, at + 3),
    focal: cam.focal + d[at + 6]!,
    principal: { x: cam.principal.x + d[at + 7]!, y: cam.principal.y + d[at + 8]! },
    distortion: [cam.distortion[0] + d[at + 9]!, cam.distortion[1] + d[at + 10]!],
  };
}

/** The point moved by the step d[at .. at + 3). */
function movePoint(p: Vec3, d: Float64Array, at: number): Vec3 {
  return { x: p.x + d[at]!, y: p.y + d[at + 1]!, z: p.z + d[at + 2]! };
}

/** Inverse of a symmetric positive definite 3 x 3 matrix (row-major), by cofactors. */
function invert3(A: Float64Array, out: Float64Array): void {
  const a = A[0]!, b = A[1]!, c = A[2]!, d = A[3]!, e = A[4]!, f = A[5]!, g = A[6]!, h = A[7]!, i = A[8]!;
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  out[0] = (e * i - f * h) / det;
  out[1] = (c * h - b * i) / det;
  out[2] = (b * f - c * e) / det;
  out[3] = (f * g - d * i) / det;
  out[4] = (a * i - c * g) / det;
  out[5] = (c * d - a * f) / det;
  out[6] = (d * h - e * g) / det;
  out[7] = (b * g - a * h) / det;
  out[8] = (a * e - b * d) / det;
}
