/**
 * The evals tsgrad implements: each function's primal is the model in models/, its derivative
 * the module tsgrad generated from it (models/*.grad.ts, checked in and kept fresh by the tests).
 */
import type { EvalFunction, Modules } from "./protocol.js";
import { square } from "./models/hello.js";
import { square_grad } from "./models/hello.grad.js";
import { logsumexp } from "./models/lse.js";
import { logsumexp_grad_into } from "./models/lse.grad.js";
import { llsq } from "./models/llsq.js";
import { llsq_grad_into } from "./models/llsq.grad.js";
import { ode } from "./models/ode.js";
import { odeLast_grad_into } from "./models/ode.grad.js";

const number = (input: unknown): number => input as number;
const identity = <T>(x: T): T => x;
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
function vectorEval<R>(countField: string | undefined, primal: (x: Float64Array, count: number) => R, gradInto: (x: Float64Array, count: number, grad: { x: Float64Array }) => unknown): Record<string, EvalFunction> {
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

export const modules: Modules = {
  hello: {
    square: { prepare: number, run: square, output: identity } as EvalFunction,
    double: { prepare: number, run: (x: number) => square_grad(x).grad.x, output: identity } as EvalFunction,
  },
  lse: vectorEval(undefined, logsumexp, (x, _count, grad) => logsumexp_grad_into(x, grad)),
  llsq: vectorEval("n", llsq, llsq_grad_into),
  ode: vectorEval("s", ode, odeLast_grad_into),
};
