/**
 * The shape shared by lse, llsq and ode: the input is a vector `x` (and, for some, a count), the
 * gradient is with respect to x, added by the generated `_grad_into` into a zeroed buffer.
 */
import type { EvalFunction } from "../protocol.js";

const toArray = (v: unknown): number[] => Array.from(v as Float64Array);

/** The input of lse, llsq and ode: `x` (a typed array, made outside the timed part), a count, and a gradient buffer reused by every run. */
interface VectorInput {
  x: Float64Array;
  count: number;
  grad: { x: Float64Array };
}

/**
 * The `primal` and `gradient` functions of an eval whose input is `x` and, under `countField`, a
 * number of points or steps: the gradient with respect to x, added by the generated `_grad_into`
 * into the zeroed buffer.
 */
export function vectorEval<R>(countField: string | undefined, primal: (x: Float64Array, count: number) => R, gradInto: (x: Float64Array, count: number, grad: { x: Float64Array }) => unknown): Record<string, EvalFunction> {
  const prepare = (input: unknown): VectorInput => {
    const fields = input as Record<string, unknown>;
    const x = Float64Array.from(fields.x as number[]);
    return { x, count: countField ? (fields[countField] as number) : 0, grad: { x: new Float64Array(x.length) } };
  };
  return {
    primal: { prepare, run: (a: VectorInput) => primal(a.x, a.count), output: (r: unknown) => (r instanceof Float64Array ? toArray(r) : r) } as EvalFunction,
    gradient: {
      prepare,
      run: (a: VectorInput) => {
        a.grad.x.fill(0);
        gradInto(a.x, a.count, a.grad);
        return a.grad.x;
      },
      output: toArray,
    } as EvalFunction,
  };
}

