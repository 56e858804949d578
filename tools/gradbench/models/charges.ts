// compile: tsgrad compile charges.ts
/**
 * GradBench's `particle` eval, the inner function: the electric potential at a point of unit
 * charges. tsgrad writes charges.grad.ts (`potential_grad`, `potential_jvp`), which particle.ts
 * calls for the field and tsgrad differentiates again (nested differentiation).
 */

/** The potential at `at` ([x, y]) of unit charges at the points of `charges`, [x0, y0, x1, y1, ...]. */
export function potential(charges: number[], at: number[]): number {
  let p = 0;
  for (let i = 0; i < charges.length; i += 2) p += 1 / Math.sqrt((at[0] - charges[i]) ** 2 + (at[1] - charges[i + 1]) ** 2);
  return p;
}
