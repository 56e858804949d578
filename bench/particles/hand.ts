/**
 * Hand-written value and gradient of `simulate` (objective.ts) with respect to `initial`: every
 * particle's position, velocity and mass, as a careful engineer would write it. The objects are
 * read once into flat scratch buffers ([x_0, y_0, x_1, y_1, ...], reused across calls); the
 * forward sweep stores the positions and forces of every step; the reverse sweep runs
 *   F~ = dt/m v~_{t+1}
 *   x~_t = x~_{t+1} + J_springs(x_t)^T F~
 *   v~_t = dt x~_{t+1} + v~_{t+1} - damping F~
 *   m~  += -(F~ . F_t) / m - g F~_y          (from dt F / m and the gravity force -m g)
 * where, for a spring (a, b) with d = x_b - x_a and f = k (|d| - rest) / |d|,
 *   J^T F~ adds  e = f q + k rest / |d|^3 (q . d) d  to x~_b and -e to x~_a,  q = F~_a - F~_b.
 *
 * Result shape (the same as tsgrad's `simulate_grad`): `grad.initial[i]` is a fresh
 * `{ pos: { x, y }, vel: { x, y }, mass }` holding d loss / d initial[i].pos.x, ... .
 */
import type { Particle, Spring, Vec2 } from "./objective.js";

const GRAVITY = 9.81;

export interface ParticlesGrad {
  value: number;
  grad: { initial: Particle[] };
}

// Scratch buffers, grown on demand and reused across calls.
let traj = new Float64Array(0); // positions of steps 0..steps
let frc = new Float64Array(0); // forces of steps 0..steps-1
let idx = new Int32Array(0); // spring ends, times 2
let rst = new Float64Array(0); // rest lengths

export function simulate_grad_hand(
  initial: Particle[],
  springs: Spring[],
  target: Vec2[],
  k: number,
  damping: number,
  dt: number,
  steps: number,
): ParticlesGrad {
  const n = initial.length;
  const n2 = 2 * n;
  const ns = springs.length;
  if (traj.length < (steps + 1) * n2) traj = new Float64Array((steps + 1) * n2);
  if (frc.length < steps * n2) frc = new Float64Array(steps * n2);
  if (idx.length < 2 * ns) idx = new Int32Array(2 * ns);
  if (rst.length < ns) rst = new Float64Array(ns);
  const vel = new Float64Array(n2);
  const mass = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = initial[i]!;
    traj[2 * i] = p.pos.x;
    traj[2 * i + 1] = p.pos.y;
    vel[2 * i] = p.vel.x;
    vel[2 * i + 1] = p.vel.y;
    mass[i] = p.mass;
  }
  for (let s = 0; s < ns; s++) {
    const sp = springs[s]!;
    idx[2 * s] = 2 * sp.i;
    idx[2 * s + 1] = 2 * sp.j;
    rst[s] = sp.rest;
  }

  for (let step = 0; step < steps; step++) {
    const o = step * n2;
    for (let i = 0; i < n; i++) {
      frc[o + 2 * i] = -damping * vel[2 * i]!;
      frc[o + 2 * i + 1] = -damping * vel[2 * i + 1]! - mass[i]! * GRAVITY;
    }
    for (let s = 0; s < ns; s++) {
      const a = idx[2 * s]!;
      const b = idx[2 * s + 1]!;
      const dx = traj[o + b]! - traj[o + a]!;
      const dy = traj[o + b + 1]! - traj[o + a + 1]!;
      const len = Math.sqrt(dx * dx + dy * dy);
      const f = (k * (len - rst[s]!)) / len;
      frc[o + a] += f * dx;
      frc[o + a + 1] += f * dy;
      frc[o + b] -= f * dx;
      frc[o + b + 1] -= f * dy;
    }
    for (let i = 0; i < n2; i++) {
      traj[o + n2 + i] = traj[o + i]! + dt * vel[i]!;
      vel[i] += (dt * frc[o + i]!) / mass[i >> 1]!;
    }
  }

  const last = steps * n2;
  let value = 0;
  const xb = new Float64Array(n2); // adjoint of the positions
  const vb = vel; // reused: adjoint of the velocities
  const mb = new Float64Array(n); // adjoint of the masses
  const fb = new Float64Array(n2); // adjoint of the forces of one step
  for (let i = 0; i < n; i++) {
    const ex = traj[last + 2 * i]! - target[i]!.x;
    const ey = traj[last + 2 * i + 1]! - target[i]!.y;
    value += ex * ex;
    value += ey * ey;
    xb[2 * i] = 2 * ex;
    xb[2 * i + 1] = 2 * ey;
    vb[2 * i] = 0;
    vb[2 * i + 1] = 0;
  }
  for (let step = steps - 1; step >= 0; step--) {
    const o = step * n2;
    for (let i = 0; i < n; i++) {
      const m = mass[i]!;
      const fx = (dt / m) * vb[2 * i]!;
      const fy = (dt / m) * vb[2 * i + 1]!;
      fb[2 * i] = fx;
      fb[2 * i + 1] = fy;
      mb[i] -= (fx * frc[o + 2 * i]! + fy * frc[o + 2 * i + 1]!) / m + GRAVITY * fy;
      vb[2 * i] = dt * xb[2 * i]! + vb[2 * i]! - damping * fx;
      vb[2 * i + 1] = dt * xb[2 * i + 1]! + vb[2 * i + 1]! - damping * fy;
    }
    for (let s = 0; s < ns; s++) {
      const a = idx[2 * s]!;
      const b = idx[2 * s + 1]!;
      const dx = traj[o + b]! - traj[o + a]!;
      const dy = traj[o + b + 1]! - traj[o + a + 1]!;
      const len2 = dx * dx + dy * dy;
      const len = Math.sqrt(len2);
      const r = rst[s]!;
      const f = (k * (len - r)) / len;
      const qx = fb[a]! - fb[b]!;
      const qy = fb[a + 1]! - fb[b + 1]!;
      const c = ((k * r) / (len2 * len)) * (qx * dx + qy * dy);
      const ex = f * qx + c * dx;
      const ey = f * qy + c * dy;
      xb[b] += ex;
      xb[b + 1] += ey;
      xb[a] -= ex;
      xb[a + 1] -= ey;
    }
  }

  const out: Particle[] = new Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = { pos: { x: xb[2 * i]!, y: xb[2 * i + 1]! }, vel: { x: vb[2 * i]!, y: vb[2 * i + 1]! }, mass: mb[i]! };
  }
  return { value, grad: { initial: out } };
}

/** A particle gradient in the flat canonical order [pos.x, pos.y, vel.x, vel.y, mass] per particle. */
export function flattenParticles(ps: readonly Particle[]): Float64Array {
  const out = new Float64Array(5 * ps.length);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    out.set([p.pos.x, p.pos.y, p.vel.x, p.vel.y, p.mass], 5 * i);
  }
  return out;
}
