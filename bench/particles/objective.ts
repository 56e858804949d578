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
