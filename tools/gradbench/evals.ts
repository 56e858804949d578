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

/** `lse`: the input's `x` as a typed array (prepared outside the timed part), the gradient into one buffer. */
const lseInput = (input: unknown): { x: Float64Array; grad: { x: Float64Array } } => {
  const x = Float64Array.from((input as { x: number[] }).x);
  return { x, grad: { x: new Float64Array(x.length) } };
};

/** `llsq`: x as a typed array and n, the gradient into one buffer. */
const llsqInput = (input: unknown): { x: Float64Array; n: number; grad: { x: Float64Array } } => {
  const { x, n } = input as { x: number[]; n: number };
  return { x: Float64Array.from(x), n, grad: { x: new Float64Array(x.length) } };
};

/** `ode`: x as a typed array and the step count s, the gradient into one buffer. */
const odeInput = (input: unknown): { x: Float64Array; s: number; grad: { x: Float64Array } } => {
  const { x, s } = input as { x: number[]; s: number };
  return { x: Float64Array.from(x), s, grad: { x: new Float64Array(x.length) } };
};

export const modules: Modules = {
  hello: {
    square: { prepare: number, run: square, output: identity } as EvalFunction<number, number>,
    double: { prepare: number, run: (x: number) => square_grad(x).grad.x, output: identity } as EvalFunction<number, number>,
  },
  lse: {
    primal: { prepare: lseInput, run: (a: ReturnType<typeof lseInput>) => logsumexp(a.x), output: identity } as EvalFunction,
    gradient: {
      prepare: lseInput,
      run: (a: ReturnType<typeof lseInput>) => {
        a.grad.x.fill(0);
        logsumexp_grad_into(a.x, a.grad);
        return a.grad.x;
      },
      output: (g: unknown) => Array.from(g as Float64Array),
    } as EvalFunction,
  },
  ode: {
    primal: { prepare: odeInput, run: (a: ReturnType<typeof odeInput>) => ode(a.x, a.s), output: (y: unknown) => Array.from(y as Float64Array) } as EvalFunction,
    gradient: {
      prepare: odeInput,
      run: (a: ReturnType<typeof odeInput>) => {
        a.grad.x.fill(0);
        odeLast_grad_into(a.x, a.s, a.grad);
        return a.grad.x;
      },
      output: (g: unknown) => Array.from(g as Float64Array),
    } as EvalFunction,
  },
  llsq: {
    primal: { prepare: llsqInput, run: (a: ReturnType<typeof llsqInput>) => llsq(a.x, a.n), output: identity } as EvalFunction,
    gradient: {
      prepare: llsqInput,
      run: (a: ReturnType<typeof llsqInput>) => {
        a.grad.x.fill(0);
        llsq_grad_into(a.x, a.n, a.grad);
        return a.grad.x;
      },
      output: (g: unknown) => Array.from(g as Float64Array),
    } as EvalFunction,
  },
};
