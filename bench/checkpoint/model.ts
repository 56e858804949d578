/**
 * The checkpointing benchmark's model: a chain of masses joined by nonlinear springs (a
 * Fermi-Pasta-Ulam-Tsingou chain) with a little damping (so that a million steps' derivatives
 * stay finite), Verlet steps, the loss the final positions' distance to a target plus the work done. bench/checkpoint.mjs compiles it as it is (the time loop marked
 * `// tsgrad: checkpoint`) and without the directive (every step recorded).
 */
export function chainLoss(x0: Float64Array, target: Float64Array, k: number, beta: number, damping: number, dt: number, steps: number): number {
  const n = x0.length;
  const x = Float64Array.from(x0);
  const prev = Float64Array.from(x0);
  let work = 0;
  // tsgrad: checkpoint
  for (let step = 0; step < steps; step++) {
    for (let i = 0; i < n; i++) {
      const left = i > 0 ? x[i] - x[i - 1] : x[i];
      const right = i < n - 1 ? x[i + 1] - x[i] : -x[i];
      const a = k * (right - left) + beta * (right * right * right - left * left * left);
      const xi = x[i];
      x[i] = xi + (1 - damping * dt) * (xi - prev[i]) + dt * dt * a;
      prev[i] = xi;
      work += a * (x[i] - xi);
    }
  }
  let loss = 1e-3 * work;
  for (let i = 0; i < n; i++) loss += (x[i] - target[i]) ** 2;
  return loss;
}
