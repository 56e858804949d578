/** GradBench's `hello` eval: `square(x)`, and `double`, its derivative. */
import type { EvalFunction } from "../protocol.js";
import { square } from "../models/hello.js";
import { square_grad } from "../models/hello.grad.js";

const number = (input: unknown): number => input as number;
const identity = <T>(x: T): T => x;

export const hello: Record<string, EvalFunction> = {
  square: { prepare: number, run: square, output: identity } as EvalFunction,
  double: { prepare: number, run: (x: number) => square_grad(x).grad.x, output: identity } as EvalFunction,
};
