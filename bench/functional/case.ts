/**
 * Functional-vs-loop case (issue 12): the same small-MLP loss written with map/reduce and arrow
 * helpers (`mlpLossFunctional`) and with for loops (`mlpLossLoop`), 16-32-1, batch 128.
 * Methods: hand (hand.ts), tsgrad-functional and tsgrad-loop (the generated gradients of the two
 * forms, from one objective.grad.ts), fd. The gradient time ratios tsgrad-functional /
 * tsgrad-loop (issue 12's target: <= 1.1x), tsgrad-functional / hand and tsgrad-loop / hand are
 * measured interleaved (Case.ratios).
 *
 * Canonical gradient order: W1 row by row, b1, w2, b2.
 */
import * as gen from "bench-tsgrad:functional";
import { fdMethod, handMethod, tsgradMethod } from "../common/methods.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case, Flat } from "../common/types.js";
import { centralDifferences } from "../common/util.js";
import { makeFunctional } from "./data.js";
import { flattenFunctional, mlp_grad_hand, type FunctionalGrad } from "./hand.js";
import { mlpLossFunctional, mlpLossLoop } from "./objective.js";

type GradFn = (...args: Parameters<typeof mlpLossFunctional>) => FunctionalGrad;
const functionalGrad = generated<GradFn>(gen, "mlpLossFunctional_grad");
const loopGrad = generated<GradFn>(gen, "mlpLossLoop_grad");

const flat = (r: unknown): Flat => ({ value: (r as FunctionalGrad).value, grad: flattenFunctional((r as FunctionalGrad).grad) });

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function* functionalCases(_o: BuildOptions): AsyncGenerator<Case> {
  const inp = makeFunctional();
  const { W1, b1, w2, b2, xs, ys, lambda, nin, nhid, batch } = inp;
  const nparams = nhid * nin + 2 * nhid + 1;
  const objFunctional = () => mlpLossFunctional(W1, b1, w2, b2, xs, ys, lambda);
  const objLoop = () => mlpLossLoop(W1, b1, w2, b2, xs, ys, lambda);
  const methods = [
    handMethod({ objective: objLoop, gradient: () => mlp_grad_hand(W1, b1, w2, b2, xs, ys, lambda), flatten: flat }),
    ...tsgradMethod(
      functionalGrad !== undefined,
      () => ({ objective: objFunctional, gradient: () => functionalGrad!(W1, b1, w2, b2, xs, ys, lambda), flatten: flat }),
      "tsgrad-functional",
    ),
    ...tsgradMethod(
      loopGrad !== undefined,
      () => ({ objective: objLoop, gradient: () => loopGrad!(W1, b1, w2, b2, xs, ys, lambda), flatten: flat }),
      "tsgrad-loop",
    ),
    fdMethod(nparams, 1000, () => {
      // The parameters as one vector in the canonical order, unpacked on every evaluation.
      const x = flattenFunctional({ W1, b1, w2, b2 });
      const fx = () => {
        const W = Array.from({ length: nhid }, (_, j) => Array.from(x.subarray(j * nin, (j + 1) * nin)));
        const o = nhid * nin;
        return mlpLossLoop(W, Array.from(x.subarray(o, o + nhid)), Array.from(x.subarray(o + nhid, o + 2 * nhid)), x[o + 2 * nhid]!, xs, ys, lambda);
      };
      return {
        objective: objLoop,
        gradient: () => {
          const g = new Float64Array(x.length);
          centralDifferences(fx, x, g);
          return { value: fx(), grad: g };
        },
        flatten: (r) => r as Flat,
      };
    }),
  ];
  yield {
    workload: "functional",
    size: `${nin}-${nhid}-1, batch ${batch}`,
    nparams,
    methods,
    // Same computation in the same operation order: the two forms return the same number.
    checks: [{ label: "mlpLossFunctional = mlpLossLoop", actual: objFunctional(), expected: objLoop(), tol: 0 }],
    ratios: [
      { num: "tsgrad-functional", den: "tsgrad-loop" },
      { num: "tsgrad-functional", den: "hand" },
      { num: "tsgrad-loop", den: "hand" },
    ],
  };
}
