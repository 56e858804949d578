/**
 * Gradient descent on the arm's joint angles, a few dozen iterations per animation frame.
 * Each iteration takes one step along the negative gradient of `reachLoss`, with a backtracking
 * (Armijo) line search so that the step size adapts itself to how curved the loss is.
 */

/** The generated gradient: `reachLoss_grad` from `./arm.grad`. */
export type LossGrad = (
  t1: number,
  t2: number,
  t3: number,
  tx: number,
  ty: number,
) => { value: number; grad: { t1: number; t2: number; t3: number; tx: number; ty: number } };

/** The plain loss: `reachLoss` from `./arm`, used by the line search. */
export type Loss = (t1: number, t2: number, t3: number, tx: number, ty: number) => number;

export interface Solver {
  /** Joint angles (radians): shoulder, elbow bend, wrist bend. */
  t1: number;
  t2: number;
  t3: number;
  /** Current step size; grows after accepted steps, halves during backtracking. */
  step: number;
  /** Loss and gradient norm at the current angles (after the last iteration). */
  loss: number;
  gradNorm: number;
  /** Gradient-descent iterations since the start, and in the last `solve` call. */
  iterations: number;
  lastIterations: number;
}

export function createSolver(t1 = 1.2, t2 = -0.9, t3 = -0.7): Solver {
  return { t1, t2, t3, step: 0.05, loss: Number.NaN, gradNorm: Number.NaN, iterations: 0, lastIterations: 0 };
}

/** Below this loss the tip sits on the target (to about 1e-7 world units): stop iterating. */
export const CONVERGED_LOSS = 1e-14;
/** Stop when the gradient vanishes (an unreachable target: the arm points straight at it). */
const FLAT_GRADIENT = 1e-12;
/** Largest change of any angle in one step, in radians; keeps the motion smooth. */
const MAX_MOVE = 0.15;

/**
 * Runs up to `maxIterations` gradient-descent iterations toward the target `(tx, ty)` and
 * returns how many were run. Mutates `s`.
 */
export function solve(s: Solver, tx: number, ty: number, maxIterations: number, lossGrad: LossGrad, loss: Loss): number {
  let done = 0;
  for (; done < maxIterations; done++) {
    const { value, grad } = lossGrad(s.t1, s.t2, s.t3, tx, ty);
    const g1 = grad.t1;
    const g2 = grad.t2;
    const g3 = grad.t3;
    const g2sum = g1 * g1 + g2 * g2 + g3 * g3;
    s.loss = value;
    s.gradNorm = Math.sqrt(g2sum);
    if (value < CONVERGED_LOSS || s.gradNorm < FLAT_GRADIENT) break;

    // Try a bigger step than last time, then halve it until the loss drops enough.
    let step = Math.min(s.step * 2, MAX_MOVE / s.gradNorm);
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      const n1 = s.t1 - step * g1;
      const n2 = s.t2 - step * g2;
      const n3 = s.t3 - step * g3;
      const next = loss(n1, n2, n3, tx, ty);
      if (next <= value - 0.5 * step * g2sum) {
        s.t1 = n1;
        s.t2 = n2;
        s.t3 = n3;
        s.loss = next;
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    s.step = Math.max(step, 1e-9);
    if (!accepted) break;
  }
  s.iterations += done;
  s.lastIterations = done;
  return done;
}

/** Wraps an angle into [-pi, pi]. */
const wrap = (a: number) => Math.atan2(Math.sin(a), Math.cos(a));

/**
 * Wraps the joint angles into [-pi, pi], which changes nothing about the pose, so that the
 * displayed angles stay readable however often the arm has spun around.
 */
export function normalizeAngles(s: Solver): void {
  s.t1 = wrap(s.t1);
  s.t2 = wrap(s.t2);
  s.t3 = wrap(s.t3);
}
