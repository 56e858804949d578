/** GMM cases: ADBench 1k d=2 K=5, 1k d=10 K=25, and 10k d=10 K=25 (the largest shipped size run). */
import * as gen from "bench-tsgrad:gmm";
import { readGmm } from "../common/adbench.js";
import { initJax } from "../common/jax.js";
import { asFlat, fdMethod, handMethod, peerMethod, tsgradMethod } from "../common/methods.js";
import { initTf } from "../common/tf.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case, ValueCheck } from "../common/types.js";
import { centralDifferences, concat } from "../common/util.js";
import { gmm_grad_hand, type GmmGrad } from "./hand.js";
import { gmm_objective } from "./objective.js";
import { jaxGmm, tfGmm, type PeerGrad } from "./peers.js";

type GradFn = (...args: Parameters<typeof gmm_objective>) => GmmGrad;
const tsgradGrad = generated<GradFn>(gen, "gmm_objective_grad");

/** objective.ts on ADBench's gmm/test.txt, whose objective ADBench gives as 8.0738. */
function testFileCheck(): ValueCheck {
  const t = readGmm("gmm/test.txt");
  const actual = gmm_objective(t.alphas, t.means, t.icf, t.x, t.gamma, t.m, t.d, t.k, t.n);
  return { label: "objective on ADBench gmm/test.txt", actual, expected: 8.0738, tol: 1e-4 };
}

const flatGrad = (r: unknown) => {
  const g = (r as GmmGrad).grad;
  return { value: (r as GmmGrad).value, grad: concat(g.alphas, g.means, g.icf) };
};
const flatPeer = (r: unknown) => ({ value: (r as PeerGrad).value, grad: concat(...(r as PeerGrad).grads) });

function buildCase(file: string, size: string, checks?: ValueCheck[]): Case {
  const inp = readGmm(file);
  const { d, k, n, gamma, m, x, alphas, means, icf } = inp;
  const nparams = alphas.length + means.length + icf.length;
  const objective = () => gmm_objective(alphas, means, icf, x, gamma, m, d, k, n);
  const methods = [
    handMethod({
      objective,
      gradient: () => gmm_grad_hand(alphas, means, icf, x, gamma, m, d, k, n),
      flatten: flatGrad,
    }),
    ...tsgradMethod(tsgradGrad !== undefined, () => ({
      objective,
      gradient: () => tsgradGrad!(alphas, means, icf, x, gamma, m, d, k, n),
      flatten: flatGrad,
    })),
    fdMethod(nparams, 100, () => {
      const p = concat(alphas, means, icf);
      const a = p.subarray(0, k);
      const mu = p.subarray(k, k + k * d);
      const q = p.subarray(k + k * d);
      const f = () => gmm_objective(a, mu, q, x, gamma, m, d, k, n);
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
      return { ...tfGmm(inp), flatten: flatPeer };
    }),
    peerMethod("jax", 1e-4, async () => {
      await initJax();
      const j = jaxGmm(inp);
      return { ...j.eager, dispose: j.dispose, flatten: flatPeer };
    }),
    peerMethod("jax-jit", 1e-4, async () => {
      await initJax();
      const j = jaxGmm(inp);
      return { ...j.jit, dispose: j.dispose, flatten: flatPeer };
    }),
  ];
  return { workload: "gmm", size, nparams, methods, checks };
}

export async function* gmmCases(o: BuildOptions): AsyncGenerator<Case> {
  yield buildCase("gmm/1k/gmm_d2_K5.txt", "1k d=2 K=5", [testFileCheck()]);
  yield buildCase("gmm/1k/gmm_d10_K25.txt", "1k d=10 K=25");
  if (!o.quick) yield buildCase("gmm/10k/gmm_d10_K25.txt", "10k d=10 K=25");
}
