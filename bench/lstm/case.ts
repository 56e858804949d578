/** LSTM cases: ADBench l=2 c=1024 and l=4 c=1024 (b = 14). */
import * as gen from "bench-tsgrad:lstm";
import { readLstm } from "../common/adbench.js";
import { initJax } from "../common/jax.js";
import { asFlat, fdMethod, handMethod, peerMethod, tsgradMethod } from "../common/methods.js";
import { initTf } from "../common/tf.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case, ValueCheck } from "../common/types.js";
import { centralDifferences, concat } from "../common/util.js";
import { lstm_grad_hand, type LstmGrad } from "./hand.js";
import { lstm_objective } from "./objective.js";
import { jaxLstm, tfLstm, type PeerGrad } from "./peers.js";

type GradFn = (...args: Parameters<typeof lstm_objective>) => LstmGrad;
const tsgradGrad = generated<GradFn>(gen, "lstm_objective_grad");

const flatGrad = (r: unknown) => {
  const g = (r as LstmGrad).grad;
  return { value: (r as LstmGrad).value, grad: concat(g.mainParams, g.extraParams) };
};
const flatPeer = (r: unknown) => ({ value: (r as PeerGrad).value, grad: concat(...(r as PeerGrad).grads) });

function buildCase(file: string, checks?: (loss: number) => ValueCheck[]): Case {
  const inp = readLstm(file);
  const { l, c, b, mainParams, extraParams, state, sequence } = inp;
  const nparams = mainParams.length + extraParams.length;
  const objective = () => lstm_objective(mainParams, extraParams, state, sequence, l, c, b);
  const methods = [
    handMethod({
      objective,
      gradient: () => lstm_grad_hand(mainParams, extraParams, state, sequence, l, c, b),
      flatten: flatGrad,
    }),
    ...tsgradMethod(tsgradGrad !== undefined, () => ({
      objective,
      gradient: () => tsgradGrad!(mainParams, extraParams, state, sequence, l, c, b),
      flatten: flatGrad,
    })),
    fdMethod(nparams, 100, () => {
      const p = concat(mainParams, extraParams);
      const mp = p.subarray(0, mainParams.length);
      const ep = p.subarray(mainParams.length);
      const f = () => lstm_objective(mp, ep, state, sequence, l, c, b);
      return {
        objective,
        gradient: () => {
          const g = new Float64Array(nparams);
          centralDifferences(f, p, g);
          return { value: f(), grad: g };
        },
        flatten: asFlat,
      };
    }),
    peerMethod("tfjs", 2e-2, async () => {
      await initTf();
      return { ...tfLstm(inp), flatten: flatPeer };
    }),
    peerMethod(
      "jax",
      1e-4,
      async () => {
        await initJax();
        const j = jaxLstm(inp);
        return { ...j.eager, dispose: j.dispose, flatten: flatPeer };
      },
      // Measured once on the benchmark machine (l=2, first c characters): 5.6 s at c=32,
      // 22 s at c=64, 139 s at c=128: far beyond any time budget at c=1024.
      "eager gradient time grows like c^2.6 (5.6 s at c=32, 22 s at c=64, 139 s at c=128)",
    ),
    peerMethod(
      "jax-jit",
      1e-4,
      async () => {
        await initJax();
        const j = jaxLstm(inp);
        return { ...j.jit, dispose: j.dispose, flatten: flatPeer };
      },
      // Measured once (l=2, c=1024, `--all --timeout 2000`): first call 570 s, then 6.9 s per
      // gradient; jit of the unrolled loop recurses deeper than Node's default stack allows,
      // so the worker gets a 256 MiB stack.
      "first call (tracing + compile) takes ~10 min at c=1024 (measured: 570 s, then 6.9 s per call)",
    ),
  ];
  return { workload: "lstm", size: `l=${l} c=${c} b=${b}`, nparams, methods, checks: checks?.(objective()) };
}

export async function* lstmCases(o: BuildOptions): AsyncGenerator<Case> {
  // ADBench's expected loss for lstm_l2_c1024 is 0.66666518 (FORMULAS.md).
  yield buildCase("lstm/lstm_l2_c1024.txt", (loss) => [
    { label: "loss on ADBench lstm_l2_c1024", actual: loss, expected: 0.66666518, tol: 1e-7 },
  ]);
  if (!o.quick) yield buildCase("lstm/lstm_l4_c1024.txt");
}
