// compile: tsgrad compile saddle-objective.ts
/**
 * GradBench's `saddle` eval, the inner function: (x1^2 + y1^2) - (x2^2 + y2^2) of the points
 * p1 = (x1, y1) and p2 = (x2, y2), with its saddle point at the origin. tsgrad writes
 * saddle-objective.grad.ts (`objective_grad`, `objective_jvp`), which saddle.ts calls inside
 * the inner maximisation and tsgrad differentiates again (nested differentiation).
 */
export function objective(p1: number[], p2: number[]): number {
  return p1[0] ** 2 + p1[1] ** 2 - (p2[0] ** 2 + p2[1] ** 2);
}
