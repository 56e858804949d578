/** The mass-spring instance: a 4 x 4 grid of unit masses with structural and shear springs. */
import { Rng } from "../common/util.js";

export interface SpringInput {
  x0: Float64Array;
  v0: Float64Array;
  springs: number[];
  rest: number[];
  target: Float64Array;
  stiffness: number;
  damping: number;
  mass: number;
  dt: number;
  steps: number;
}

export function makeSpring(side = 4, steps = 500): SpringInput {
  const rng = new Rng(7);
  const n = side * side;
  const x0 = new Float64Array(2 * n);
  const v0 = new Float64Array(2 * n);
  const target = new Float64Array(2 * n);
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      x0[2 * i] = c;
      x0[2 * i + 1] = r;
      v0[2 * i] = 0.5 * rng.normal();
      v0[2 * i + 1] = 2 + 0.5 * rng.normal();
      target[2 * i] = c + 1.5;
      target[2 * i + 1] = r - 2;
    }
  }
  const springs: number[] = [];
  const rest: number[] = [];
  const add = (a: number, b: number) => {
    springs.push(a, b);
    rest.push(Math.hypot(x0[2 * b]! - x0[2 * a]!, x0[2 * b + 1]! - x0[2 * a + 1]!));
  };
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const i = r * side + c;
      if (c + 1 < side) add(i, i + 1);
      if (r + 1 < side) add(i, i + side);
      if (c + 1 < side && r + 1 < side) add(i, i + side + 1);
      if (c > 0 && r + 1 < side) add(i, i + side - 1);
    }
  }
  return { x0, v0, springs, rest, target, stiffness: 40, damping: 1, mass: 1, dt: 0.005, steps };
}
