/**
 * Hand-written value and gradient (w.r.t. v0) of the mass-spring loss (the practical lower
 * bound). The forward sweep stores the positions of every step; the reverse sweep runs
 *   F~ = dt/m v~_{t+1}
 *   x~_t = x~_{t+1} + J_springs(x_t)^T F~
 *   v~_t = dt x~_{t+1} + v~_{t+1} - damping F~
 * where, for a spring (a, b) with d = x_b - x_a and f = k (|d| - rest) / |d|,
 *   J^T F~ adds  e = f q + k rest / |d|^3 (q . d) d  to x~_b and -e to x~_a,  q = F~_a - F~_b.
 */

const GRAVITY = 9.81;

export interface SpringGrad {
  value: number;
  grad: { v0: Float64Array };
}

let traj = new Float64Array(0);

export function spring_grad_hand(
  x0: Float64Array,
  v0: Float64Array,
  springs: readonly number[],
  rest: readonly number[],
  target: Float64Array,
  stiffness: number,
  damping: number,
  mass: number,
  dt: number,
  steps: number,
): SpringGrad {
  const n2 = x0.length;
  const ns = rest.length;
  if (traj.length < (steps + 1) * n2) traj = new Float64Array((steps + 1) * n2);
  const vel = new Float64Array(n2);
  const force = new Float64Array(n2);
  for (let i = 0; i < n2; i++) {
    traj[i] = x0[i]!;
    vel[i] = v0[i]!;
  }
  const dtm = dt / mass;
  for (let step = 0; step < steps; step++) {
    const o = step * n2;
    for (let i = 0; i < n2; i += 2) {
      force[i] = -damping * vel[i]!;
      force[i + 1] = -damping * vel[i + 1]! - mass * GRAVITY;
    }
    for (let s = 0; s < ns; s++) {
      const a = 2 * springs[2 * s]!;
      const b = 2 * springs[2 * s + 1]!;
      const dx = traj[o + b]! - traj[o + a]!;
      const dy = traj[o + b + 1]! - traj[o + a + 1]!;
      const len = Math.sqrt(dx * dx + dy * dy);
      const f = (stiffness * (len - rest[s]!)) / len;
      force[a] += f * dx;
      force[a + 1] += f * dy;
      force[b] -= f * dx;
      force[b + 1] -= f * dy;
    }
    for (let i = 0; i < n2; i++) {
      traj[o + n2 + i] = traj[o + i]! + dt * vel[i]!;
      vel[i] += dtm * force[i]!;
    }
  }
  const last = steps * n2;
  let value = 0;
  const xb = new Float64Array(n2); // adjoint of the positions
  const vb = new Float64Array(n2); // adjoint of the velocities
  for (let i = 0; i < n2; i++) {
    const e = traj[last + i]! - target[i]!;
    value += e * e;
    xb[i] = 2 * e;
  }
  const fb = force; // reused: adjoint of the forces
  for (let step = steps - 1; step >= 0; step--) {
    const o = step * n2;
    for (let i = 0; i < n2; i++) {
      const f = dtm * vb[i]!;
      fb[i] = f;
      vb[i] = dt * xb[i]! + vb[i]! - damping * f;
    }
    for (let s = 0; s < ns; s++) {
      const a = 2 * springs[2 * s]!;
      const b = 2 * springs[2 * s + 1]!;
      const dx = traj[o + b]! - traj[o + a]!;
      const dy = traj[o + b + 1]! - traj[o + a + 1]!;
      const len2 = dx * dx + dy * dy;
      const len = Math.sqrt(len2);
      const f = (stiffness * (len - rest[s]!)) / len;
      const qx = fb[a]! - fb[b]!;
      const qy = fb[a + 1]! - fb[b + 1]!;
      const c = ((stiffness * rest[s]!) / (len2 * len)) * (qx * dx + qy * dy);
      const ex = f * qx + c * dx;
      const ey = f * qy + c * dy;
      xb[b] += ex;
      xb[b + 1] += ey;
      xb[a] -= ex;
      xb[a + 1] -= ey;
    }
  }
  return { value, grad: { v0: vb } };
}
