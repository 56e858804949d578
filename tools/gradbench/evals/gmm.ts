/** GradBench's `gmm` eval: the log posterior of a Gaussian mixture (`objective`) and its gradient (`jacobian`). */
import type { EvalFunction } from "../protocol.js";
import { logPosterior, type Wishart } from "../models/gmm.js";
import { logPosterior_grad_into } from "../models/gmm.grad.js";

/** The parameters the gradient is taken with respect to, as the eval sends them and expects them back. */
interface Independent {
  alpha: number[];
  mu: number[][];
  q: number[][];
  l: number[][];
}

/** The eval's input (GradBench's evals/gmm/README.md): the parameters, the points and the prior's. */
interface Input extends Independent {
  x: number[][];
  m: number;
  gamma: number;
}

/** The arguments of the model, and a gradient buffer shaped like the parameters, reused by every run. */
interface Prepared {
  params: Independent;
  x: number[][];
  wishart: Wishart;
  grad: Independent;
}

const zeros = (n: number): number[] => new Array<number>(n).fill(0);
const zerosLike = (m: number[][]): number[][] => m.map((row) => zeros(row.length));

function prepare(input: unknown): Prepared {
  const { alpha, mu, q, l, x, m, gamma } = input as Input;
  return {
    params: { alpha, mu, q, l },
    x,
    wishart: { gamma, m },
    grad: { alpha: zeros(alpha.length), mu: zerosLike(mu), q: zerosLike(q), l: zerosLike(l) },
  };
}

const identity = <T>(r: T): T => r;

export const gmm: Record<string, EvalFunction> = {
  objective: {
    prepare,
    run: ({ params: { alpha, mu, q, l }, x, wishart }: Prepared) => logPosterior(alpha, mu, q, l, x, wishart),
    output: identity,
  } as EvalFunction,
  jacobian: {
    prepare,
    run: ({ params: { alpha, mu, q, l }, x, wishart, grad }: Prepared) => {
      grad.alpha.fill(0);
      for (const rows of [grad.mu, grad.q, grad.l]) for (const row of rows) row.fill(0);
      logPosterior_grad_into(alpha, mu, q, l, x, wishart, grad);
      return grad;
    },
    output: identity,
  } as EvalFunction,
};
