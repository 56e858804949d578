/** GradBench's `det` eval: the determinant of a matrix by expansion by minors (`primal`) and its gradient (`gradient`). */
import type { EvalFunction } from "../protocol.js";
import { det as determinant } from "../models/det.js";
import { det_grad_into } from "../models/det.grad.js";

/** The eval's input: the matrix row after row, and its size. */
interface Input {
  A: number[];
  ell: number;
}

/** The model's arguments, and a gradient buffer reused by every run. */
interface Prepared extends Input {
  grad: { a: number[] };
}

const prepare = (input: unknown): Prepared => {
  const { A, ell } = input as Input;
  return { A, ell, grad: { a: new Array<number>(A.length).fill(0) } };
};

export const det: Record<string, EvalFunction> = {
  primal: { prepare, run: ({ A, ell }: Prepared) => determinant(A, ell), output: (r: number) => r } as EvalFunction,
  gradient: {
    prepare,
    run: ({ A, ell, grad }: Prepared) => {
      grad.a.fill(0);
      det_grad_into(A, ell, grad);
      return grad.a;
    },
    output: (g: number[]) => g,
  } as EvalFunction,
};
