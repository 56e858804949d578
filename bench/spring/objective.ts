/**
 * A 2-D mass-spring system integrated with explicit (forward) Euler; the loss is the squared
 * distance of the final positions to a target. tsgrad differentiates it with respect to the
 * initial velocities v0.
 *
 * Plain TypeScript as a user would write it; tsgrad compiles it to objective.grad.ts.
 *
 *   x0, v0:  initial positions and velocities, [x_0, y_0, x_1, y_1, ...]
 *   springs: particle index pairs [a_0, b_0, a_1, b_1, ...]; rest: their rest lengths
 *   target:  target positions, same layout as x0
 */

const GRAVITY = 9.81;

export function spring_loss(
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
): number {
  const n = x0.length / 2;
  const ns = rest.length;
  const pos = new Float64Array(2 * n);
  const vel = new Float64Array(2 * n);
  const force = new Float64Array(2 * n);
  for (let i = 0; i < 2 * n; i++) {
    pos[i] = x0[i];
    vel[i] = v0[i];
  }
  for (let step = 0; step < steps; step++) {
    // gravity and damping
    for (let i = 0; i < n; i++) {
      force[2 * i] = -damping * vel[2 * i];
      force[2 * i + 1] = -damping * vel[2 * i + 1] - mass * GRAVITY;
    }
    // Hooke springs
    for (let s = 0; s < ns; s++) {
      const a = springs[2 * s];
      const b = springs[2 * s + 1];
      const dx = pos[2 * b] - pos[2 * a];
      const dy = pos[2 * b + 1] - pos[2 * a + 1];
      const len = Math.sqrt(dx * dx + dy * dy);
      const f = (stiffness * (len - rest[s])) / len;
      force[2 * a] += f * dx;
      force[2 * a + 1] += f * dy;
      force[2 * b] -= f * dx;
      force[2 * b + 1] -= f * dy;
    }
    // explicit Euler: positions move with the old velocities
    for (let i = 0; i < 2 * n; i++) {
      pos[i] += dt * vel[i];
      vel[i] += (dt * force[i]) / mass;
    }
  }
  let loss = 0;
  for (let i = 0; i < 2 * n; i++) {
    const e = pos[i] - target[i];
    loss += e * e;
  }
  return loss;
}
