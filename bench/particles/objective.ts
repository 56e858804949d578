/**
 * The mass-spring system of bench/spring written the way physics is usually written in
 * TypeScript: particles and springs as objects. Same model, same operation order, so the loss
 * equals spring_loss's on the same numbers (bench/particles/case.ts checks it):
 * explicit (forward) Euler, forces from the old state (damping, gravity, Hooke springs),
 * positions move with the old velocities, then the velocities with the forces.
 *
 * tsgrad differentiates it with respect to `initial` (positions, velocities and masses).
 */

export type Vec2 = { x: number; y: number };
export interface Particle {
  pos: Vec2;
  vel: Vec2;
  mass: number;
}
export interface Spring {
  i: number;
  j: number;
  rest: number;
}

const GRAVITY = 9.81;

export function simulate(
  initial: Particle[],
  springs: Spring[],
  target: Vec2[],
  k: number,
  damping: number,
  dt: number,
  steps: number,
): number {
  const ps = initial.map((p) => ({ pos: { ...p.pos }, vel: { ...p.vel }, mass: p.mass }));
  const forces = ps.map(() => ({ x: 0, y: 0 }));
  for (let s = 0; s < steps; s++) {
    // damping and gravity
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      forces[i].x = -damping * p.vel.x;
      forces[i].y = -damping * p.vel.y - p.mass * GRAVITY;
    }
    // Hooke springs
    for (const sp of springs) {
      const a = ps[sp.i];
      const b = ps[sp.j];
      const dx = b.pos.x - a.pos.x;
      const dy = b.pos.y - a.pos.y;
      const len = Math.sqrt(dx * dx + dy * dy);
      const f = (k * (len - sp.rest)) / len;
      forces[sp.i].x += f * dx;
      forces[sp.i].y += f * dy;
      forces[sp.j].x -= f * dx;
      forces[sp.j].y -= f * dy;
    }
    // explicit Euler: positions move with the old velocities
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      p.pos.x += dt * p.vel.x;
      p.pos.y += dt * p.vel.y;
      p.vel.x += (dt * forces[i].x) / p.mass;
      p.vel.y += (dt * forces[i].y) / p.mass;
    }
  }
  let loss = 0;
  for (let i = 0; i < ps.length; i++) {
    const ex = ps[i].pos.x - target[i].x;
    const ey = ps[i].pos.y - target[i].y;
    loss += ex * ex;
    loss += ey * ey;
  }
  return loss;
}

/**
 * The same model as `simulate`, written over flat arrays as a user would write it without
 * objects (the baseline of the `tsgrad-flat` row): the same forces, gravity, damping,
 * integration order and loss, with a mass per particle. tsgrad differentiates it with respect to
 * `x0`, `v0` and `masses`.
 *
 *   x0, v0:  initial positions and velocities, [x_0, y_0, x_1, y_1, ...]
 *   masses:  one mass per particle
 *   springs: particle index pairs [i_0, j_0, i_1, j_1, ...]; rest: their rest lengths
 *   target:  target positions, same layout as x0
 */
export function simulateFlat(
  x0: Float64Array,
  v0: Float64Array,
  masses: Float64Array,
  springs: readonly number[],
  rest: readonly number[],
  target: Float64Array,
  k: number,
  damping: number,
  dt: number,
  steps: number,
): number {
  const n = masses.length;
  const ns = rest.length;
  const pos = new Float64Array(2 * n);
  const vel = new Float64Array(2 * n);
  const force = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    pos[i] = x0[i];
    vel[i] = v0[i];
  }
  for (let s = 0; s < steps; s++) {
    // damping and gravity
    for (let i = 0; i < n; i++) {
      force[2 * i] = -damping * vel[2 * i];
      force[2 * i + 1] = -damping * vel[2 * i + 1] - masses[i] * GRAVITY;
    }
    // Hooke springs
    for (let q = 0; q < ns; q++) {
      const a = springs[2 * q];
      const b = springs[2 * q + 1];
      const dx = pos[2 * b] - pos[2 * a];
      const dy = pos[2 * b + 1] - pos[2 * a + 1];
      const len = Math.sqrt(dx * dx + dy * dy);
      const f = (k * (len - rest[q])) / len;
      force[2 * a] += f * dx;
      force[2 * a + 1] += f * dy;
      force[2 * b] -= f * dx;
      force[2 * b + 1] -= f * dy;
    }
    // explicit Euler: positions move with the old velocities
    for (let i = 0; i < n; i++) {
      pos[2 * i] += dt * vel[2 * i];
      pos[2 * i + 1] += dt * vel[2 * i + 1];
      vel[2 * i] += (dt * force[2 * i]) / masses[i];
      vel[2 * i + 1] += (dt * force[2 * i + 1]) / masses[i];
    }
  }
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const ex = pos[2 * i] - target[2 * i];
    const ey = pos[2 * i + 1] - target[2 * i + 1];
    loss += ex * ex;
    loss += ey * ey;
  }
  return loss;
}
