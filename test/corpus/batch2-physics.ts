// Trial corpus, batch 2: physics written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

export interface Vec2 {
  x: number;
  y: number;
}

export interface Body {
  position: Vec2;
  velocity: Vec2;
  mass: number;
  inertia: number;
  angularVelocity: number;
  isStatic?: boolean;
}

// Mirrors: a matter-js / p2-style `World` class owning `bodies: Body[]` and a gravity vector, with an energy diagnostic over `this.bodies`.
export class World {
  bodies: Body[];
  gravity: Vec2;

  constructor(bodies: Body[] = [], gravity: Vec2 = { x: 0, y: -9.81 }) {
    this.bodies = bodies;
    this.gravity = gravity;
  }

  totalEnergy(): number {
    let energy = 0;
    for (const body of this.bodies) {
      if (body.isStatic) continue;
      const { velocity: v, mass } = body;
      const kinetic = 0.5 * mass * (v.x * v.x + v.y * v.y) + 0.5 * body.inertia * body.angularVelocity ** 2;
      const potential = -mass * (this.gravity.x * body.position.x + this.gravity.y * body.position.y);
      energy += kinetic + potential;
    }
    return energy;
  }
}

export interface VerletPoint {
  x: number;
  y: number;
  oldX: number;
  oldY: number;
  pinned: boolean;
}

export interface Stick {
  a: number;
  b: number;
  length: number;
}

export interface VerletOptions {
  gravity?: number;
  friction?: number;
  iterations?: number;
}

// Mirrors: canvas rope/cloth demos (verlet-js ports, "verlet integration" tutorials): options destructured with defaults, map with object spread, stick relaxation.
export function stepVerlet(points: VerletPoint[], sticks: Stick[], dt: number, options: VerletOptions = {}): VerletPoint[] {
  const { gravity = 980, friction = 0.99, iterations = 3 } = options;
  const next = points.map((p) => {
    if (p.pinned) return { ...p };
    const vx = (p.x - p.oldX) * friction;
    const vy = (p.y - p.oldY) * friction;
    return { ...p, x: p.x + vx, y: p.y + vy + gravity * dt * dt, oldX: p.x, oldY: p.y };
  });
  for (let k = 0; k < iterations; k++) {
    for (const stick of sticks) {
      const p0 = next[stick.a];
      const p1 = next[stick.b];
      const dx = p1.x - p0.x;
      const dy = p1.y - p0.y;
      const dist = Math.sqrt(dx * dx + dy * dy);
      const diff = (stick.length - dist) / dist / 2;
      const ox = dx * diff;
      const oy = dy * diff;
      if (!p0.pinned) {
        p0.x -= ox;
        p0.y -= oy;
      }
      if (!p1.pinned) {
        p1.x += ox;
        p1.y += oy;
      }
    }
  }
  return next;
}

type PendulumState = [theta: number, omega: number];

function rk4Step(f: (s: PendulumState) => PendulumState, s: PendulumState, h: number): PendulumState {
  const shift = (d: PendulumState, k: number): PendulumState => [s[0] + d[0] * k, s[1] + d[1] * k];
  const k1 = f(s);
  const k2 = f(shift(k1, h / 2));
  const k3 = f(shift(k2, h / 2));
  const k4 = f(shift(k3, h));
  return [s[0] + (h / 6) * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0]), s[1] + (h / 6) * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])];
}

// Mirrors: RK4 pendulum sims in browser physics demos (myphysicslab-style): a generic higher-order stepper and a derivative closure over tuples.
export function simulatePendulum(theta0: number, omega0: number, length: number, damping: number, dt: number, steps: number): number {
  const g = 9.81;
  const derivative = ([theta, omega]: PendulumState): PendulumState => [omega, -(g / length) * Math.sin(theta) - damping * omega];
  let state: PendulumState = [theta0, omega0];
  for (let i = 0; i < steps; i++) {
    state = rk4Step(derivative, state, dt);
  }
  const [theta, omega] = state;
  return 0.5 * length * length * omega * omega + g * length * (1 - Math.cos(theta));
}

export interface Circle {
  pos: Vec2;
  vel: Vec2;
  radius: number;
  invMass: number;
}

// Mirrors: impulse-based collision response from 2-D game-physics tutorials ported to TS (`resolveCollision(a, b)` mutating both bodies, early returns).
export function resolveCollision(a: Circle, b: Circle, restitution = 0.8): void {
  const dx = b.pos.x - a.pos.x;
  const dy = b.pos.y - a.pos.y;
  const dist = Math.hypot(dx, dy);
  if (dist === 0 || dist > a.radius + b.radius) return;
  const nx = dx / dist;
  const ny = dy / dist;
  const velAlongNormal = (b.vel.x - a.vel.x) * nx + (b.vel.y - a.vel.y) * ny;
  if (velAlongNormal > 0) return; // already separating
  const j = (-(1 + restitution) * velAlongNormal) / (a.invMass + b.invMass);
  a.vel.x -= j * a.invMass * nx;
  a.vel.y -= j * a.invMass * ny;
  b.vel.x += j * b.invMass * nx;
  b.vel.y += j * b.invMass * ny;
}
