/** GradBench's `lstm` eval: the loss of ADBench's LSTM over a text (`objective`) and its gradient (`jacobian`). */
import type { EvalFunction } from "../protocol.js";
import { lstmObjective } from "../models/lstm.js";
import { lstmObjective_grad_into } from "../models/lstm.grad.js";

/** The eval's input (GradBench's evals/lstm/README.md). */
interface Input {
  main_params: number[][];
  extra_params: number[][];
  state: number[][];
  sequence: number[][];
}

/** The model's arguments, and gradient buffers shaped like the parameters, reused by every run. */
interface Prepared extends Input {
  grad: { mainParams: number[][]; extraParams: number[][] };
}

const zerosLike = (m: number[][]): number[][] => m.map((row) => new Array<number>(row.length).fill(0));

function prepare(input: unknown): Prepared {
  const { main_params, extra_params, state, sequence } = input as Input;
  return { main_params, extra_params, state, sequence, grad: { mainParams: zerosLike(main_params), extraParams: zerosLike(extra_params) } };
}

export const lstm: Record<string, EvalFunction> = {
  objective: {
    prepare,
    run: (a: Prepared) => lstmObjective(a.main_params, a.extra_params, a.state, a.sequence),
    output: (r: number) => r,
  } as EvalFunction,
  jacobian: {
    prepare,
    run: (a: Prepared) => {
      for (const row of [...a.grad.mainParams, ...a.grad.extraParams]) row.fill(0);
      lstmObjective_grad_into(a.main_params, a.extra_params, a.state, a.sequence, a.grad);
      return a.grad;
    },
    // The gradient of main_params, then of extra_params, each flattened row after row.
    output: (g: Prepared["grad"]) => [...g.mainParams.flat(), ...g.extraParams.flat()],
  } as EvalFunction,
};
