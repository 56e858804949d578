// compile: tsgrad compile particle.ts
/**
 * GradBench's `particle` eval: a charged particle's flight past two charges, the upper one moved
 * by the control w, and where it crosses the x axis. The field is the gradient of the potential
 * (charges.ts), from reverse mode (`potential_grad`, naiveEulerR) or forward mode
 * (`potential_jvp` along each axis, naiveEulerF); tsgrad differentiates both again with respect
 * to w (particle.grad.ts), reverse or forward: the eval's four functions rr, rf, fr and ff (outer
 * mode first).
 */
import { potential_grad, potential_jvp } from "./charges.grad.js";

/**
 * From (0, 8) at velocity (0.75, 0), Euler steps of 0.1 under the unit charges at (10, 10 - w)
 * and (10, 0) until the particle reaches the x axis; the square of where it crosses it (the
 * last step's line). `field(charges, at)` is the gradient of the potential at `at`: the
 * acceleration is its negative.
 */
function naiveEuler(w: number, field: (charges: number[], at: number[]) => number[]): number {
  const charges = [10, 10 - w, 10, 0];
  const x = [0, 8];
  const xdot = [0.75, 0];
  const dt = 0.1;
  while (true) {
    const g = field(charges, x);
    x[0] += dt * xdot[0];
    x[1] += dt * xdot[1];
    if (x[1] <= 0) {
      const dtf = -x[1] / xdot[1];
      const xf = x[0] + dtf * xdot[0];
      return xf * xf;
    }
    xdot[0] -= dt * g[0];
    xdot[1] -= dt * g[1];
  }
}

/** With the field from reverse mode. */
export function naiveEulerR(w: number): number {
  return naiveEuler(w, (charges, at) => potential_grad(charges, at).grad.at);
}

/** With the field from forward mode, one directional derivative per axis. */
export function naiveEulerF(w: number): number {
  return naiveEuler(w, (charges, at) => [potential_jvp(charges, at, { at: [1, 0] }).tangent, potential_jvp(charges, at, { at: [0, 1] }).tangent]);
}
