// compile: tsgrad compile saddle.ts --wrt p1
/**
 * GradBench's `saddle` eval: the min over p1 of the max over p2 of objective(p1, p2), by the
 * gradient descent of ../gd.ts, inner and outer from the same start. The inner max as a function
 * of p1, its search (gradient ascent over p2) with the gradient from reverse mode
 * (`objective_grad`, maxR) or forward mode (`objective_jvp` along each axis, maxF); tsgrad
 * differentiates both with respect to p1, search included (saddle.grad.ts), reverse or forward:
 * the outer search's gradient in the eval's four functions rr, rf, fr and ff (outer mode first).
 */
import { objective } from "./saddle-objective.js";
import { objective_grad, objective_jvp } from "./saddle-objective.grad.js";
import { argmax } from "../gd.js";

/** max over p2 of objective(p1, p2), searched from start with the gradient from reverse mode. */
export function maxR(p1: number[], start: number[]): number {
  const p2 = argmax((p) => objective(p1, p), (p) => objective_grad(p1, p).grad.p2, start);
  return objective(p1, p2);
}

/** The same with the gradient from forward mode, one directional derivative per axis. */
export function maxF(p1: number[], start: number[]): number {
  const p2 = argmax((p) => objective(p1, p), (p) => [objective_jvp(p1, p, { p2: [1, 0] }).tangent, objective_jvp(p1, p, { p2: [0, 1] }).tangent], start);
  return objective(p1, p2);
}
