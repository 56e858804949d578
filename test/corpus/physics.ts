// Trial corpus: physics steps written the way public TypeScript writes them (see bench/README.md).
// Each function is original code in the style of the public code named above it.

export type Vec2 = { x: number; y: number };

export interface Particle {
  pos: Vec2;
  vel: Vec2;
  mass: number;
  fixed: boolean;
}

// Mirrors: immutable particle steps over Particle[] with map and object spread (e.g. conundrumer/line2d-style pure steps).
export function stepParticles(ps: Particle[], dt: number, gravity: number): Particle[] {
  return ps.map((p) => {
    if (p.fixed) return p;
    const vel = { x: p.vel.x, y: p.vel.y - gravity * dt };
    return { ...p, vel, pos: { x: p.pos.x + vel.x * dt, y: p.pos.y + vel.y * dt } };
  });
}

export interface PhysicsBody {
  position: Vec2;
  velocity: Vec2;
  acceleration: Vec2;
}

// Mirrors: semi-implicit Euler `integrate(body: PhysicsBody, dt): void` that mutates the body (siege physics package, integrate.ts).
export function integrate(body: PhysicsBody, dt: number): void {
  body.velocity.x += body.acceleration.x * dt;
  body.velocity.y += body.acceleration.y * dt;
  body.position.x += body.velocity.x * dt;
  body.position.y += body.velocity.y * dt;
  body.acceleration.x = 0;
  body.acceleration.y = 0;
}

// Mirrors: Hooke spring between two Vec2 points returning a force object (verlet-ts DistanceConstraint style).
export function springForce(a: Vec2, b: Vec2, restLength: number, k: number): Vec2 {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const dist = Math.sqrt(dx * dx + dy * dy);
  const f = k * (dist - restLength);
  return { x: (f * dx) / dist, y: (f * dy) / dist };
}

interface Body {
  mass: number;
  velocity: [number, number, number];
}

// Mirrors: total kinetic energy with reduce over an array of bodies (game-engine debug overlays).
export function kineticEnergy(bodies: Body[]): number {
  return bodies.reduce((sum, b) => {
    const [vx, vy, vz] = b.velocity;
    return sum + 0.5 * b.mass * (vx * vx + vy * vy + vz * vz);
  }, 0);
}

// Mirrors: C-style cloth energy over flat Float64Array positions and an index list (PixelFlow-like spring cloth ported to TS).
export function clothEnergy(pos: Float64Array, springs: Int32Array, rest: Float64Array, k: number): number {
  let e = 0;
  for (let s = 0; s < rest.length; s++) {
    const i = springs[2 * s];
    const j = springs[2 * s + 1];
    const dx = pos[2 * j] - pos[2 * i];
    const dy = pos[2 * j + 1] - pos[2 * i + 1];
    const d = Math.sqrt(dx * dx + dy * dy) - rest[s];
    e += 0.5 * k * d * d;
  }
  return e;
}

// Mirrors: a small spring class with constructor parameter properties and an energy method (verlet-ts Constraint classes).
export class Spring {
  constructor(public k: number, public rest: number) {}

  potential(x: number): number {
    const d = x - this.rest;
    return 0.5 * this.k * d * d;
  }
}

// Mirrors: damped oscillator integrated for a fixed number of steps with a default argument (spring animation libraries).
export function simulateSpring(x0: number, v0: number, k: number, c: number, dt: number, steps = 100): number {
  let x = x0;
  let v = v0;
  for (let i = 0; i < steps; i++) {
    const a = -k * x - c * v;
    v += a * dt;
    x += v * dt;
  }
  return x;
}
