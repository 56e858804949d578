/**
 * GradBench's gradient descent for the particle and saddle evals (cpp/gradbench/gd.hpp, which
 * every tool uses as it is: the evals' expected outputs are where this search stops). Plain
 * TypeScript taking the function and its gradient as functions: the evals call it with gradients
 * tsgrad generated, and models/saddle.ts calls `argmax` inside a function tsgrad differentiates
 * (tsgrad inlines it there with the functions passed).
 */

/** The Euclidean norm of v. */
function magnitude(v: readonly number[]): number {
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** The Euclidean distance between u and v. */
function distance(u: readonly number[], v: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < u.length; i++) s += (u[i] - v[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * The argmin of f from `start`: steps of eta along the negative gradient, eta doubled after 10
 * steps that lowered f in a row and halved after one that would not, from 1e-5, until the gradient
 * or the step is no longer than 1e-5.
 */
export function argmin(f: (x: number[]) => number, gradient: (x: number[]) => number[], start: readonly number[]): number[] {
  let x = start.slice();
  let fx = f(x);
  let gx = gradient(x);
  let i = 0;
  let eta = 1e-5;
  while (true) {
    if (magnitude(gx) <= 1e-5) break;
    if (i === 10) {
      eta *= 2;
      i = 0;
    } else {
      const next = x.map((xj, j) => xj - eta * gx[j]);
      if (distance(x, next) <= 1e-5) break;
      const fnext = f(next);
      if (fnext < fx) {
        x = next;
        fx = fnext;
        gx = gradient(x);
        i++;
      } else {
        eta /= 2;
        i = 0;
      }
    }
  }
  return x;
}

/** The argmax of f from `start`: the argmin of -f. */
export function argmax(f: (x: number[]) => number, gradient: (x: number[]) => number[], start: readonly number[]): number[] {
  return argmin(
    (x) => -f(x),
    (x) => {
      const g = gradient(x);
      return g.map((gj) => -gj);
    },
    start,
  );
}
