/** MLP case: 32-64-10 with tanh, batch 64, softmax cross-entropy. */
import * as gen from "bench-tsgrad:mlp";
import { initJax } from "../common/jax.js";
import { fdMethod, handMethod, peerMethod, tsgradMethod } from "../common/methods.js";
import { initTf } from "../common/tf.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case } from "../common/types.js";
import { concat } from "../common/util.js";
import { makeMlp } from "./data.js";
import { mlp_grad_hand, type MlpGrad } from "./hand.js";
import { mlp_loss } from "./objective.js";
import { jaxMlp, tfMlp, type PeerGrad } from "./peers.js";

type GradFn = (...args: Parameters<typeof mlp_loss>) => MlpGrad;
const tsgradGrad = generated<GradFn>(gen, "mlp_loss_grad");

const flatGrad = (r: unknown) => {
  const g = (r as MlpGrad).grad;
  return { value: (r as MlpGrad).value, grad: concat(g.W1, g.b1, g.W2, g.b2) };
};
const flatPeer = (r: unknown) => ({ value: (r as PeerGrad).value, grad: concat(...(r as PeerGrad).grads) });

export async function* mlpCases(_o: BuildOptions): AsyncGenerator<Case> {
  const inp = makeMlp(32, 64, 10, 64);
  const { W1, b1, W2, b2, X, Y, batch } = inp;
  const nparams = W1.length + b1.length + W2.length + b2.length;
  const objective = () => mlp_loss(W1, b1, W2, b2, X, Y, batch);
  const methods = [
    handMethod({ objective, gradient: () => mlp_grad_hand(W1, b1, W2, b2, X, Y, batch), flatten: flatGrad }),
    ...tsgradMethod(tsgradGrad !== undefined, () => ({
      objective,
      gradient: () => tsgradGrad!(W1, b1, W2, b2, X, Y, batch),
      flatten: flatGrad,
    })),
    fdMethod(nparams, 100, () => ({ gradient: () => 0, flatten: flatGrad })),
    peerMethod("tfjs", 2e-2, async () => {
      await initTf();
      return { ...tfMlp(inp), flatten: flatPeer };
    }),
    peerMethod("jax", 1e-4, async () => {
      await initJax();
      const j = jaxMlp(inp);
      return { ...j.eager, dispose: j.dispose, flatten: flatPeer };
    }),
    peerMethod("jax-jit", 1e-4, async () => {
      await initJax();
      const j = jaxMlp(inp);
      return { ...j.jit, dispose: j.dispose, flatten: flatPeer };
    }),
  ];
  yield { workload: "mlp", size: `${inp.nin}-${inp.nhid}-${inp.nout}, batch ${batch}`, nparams, methods };
}
