/** Mass-spring case: 16 particles (4 x 4 grid, 42 springs), 500 explicit Euler steps. */
import * as gen from "bench-tsgrad:spring";
import { initJax } from "../common/jax.js";
import { asFlat, fdMethod, handMethod, peerMethod, tsgradMethod } from "../common/methods.js";
import { initTf } from "../common/tf.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case } from "../common/types.js";
import { centralDifferences } from "../common/util.js";
import { makeSpring } from "./data.js";
import { spring_grad_hand, type SpringGrad } from "./hand.js";
import { spring_loss } from "./objective.js";
import { jaxSpring, tfSpring, type PeerGrad } from "./peers.js";

type GradFn = (...args: Parameters<typeof spring_loss>) => SpringGrad;
const tsgradGrad = generated<GradFn>(gen, "spring_loss_grad");

const flatGrad = (r: unknown) => ({ value: (r as SpringGrad).value, grad: (r as SpringGrad).grad.v0 });
const flatPeer = (r: unknown) => ({ value: (r as PeerGrad).value, grad: (r as PeerGrad).grads[0]! });

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function* springCases(_o: BuildOptions): AsyncGenerator<Case> {
  const inp = makeSpring(4, 500);
  const { x0, v0, springs, rest, target, stiffness, damping, mass, dt, steps } = inp;
  const objective = () => spring_loss(x0, v0, springs, rest, target, stiffness, damping, mass, dt, steps);
  const methods = [
    handMethod({
      objective,
      gradient: () => spring_grad_hand(x0, v0, springs, rest, target, stiffness, damping, mass, dt, steps),
      flatten: flatGrad,
    }),
    ...tsgradMethod(tsgradGrad !== undefined, () => ({
      objective,
      gradient: () => tsgradGrad!(x0, v0, springs, rest, target, stiffness, damping, mass, dt, steps),
      flatten: flatGrad,
    })),
    fdMethod(v0.length, 100, () => {
      const v = Float64Array.from(v0);
      const f = () => spring_loss(x0, v, springs, rest, target, stiffness, damping, mass, dt, steps);
      return {
        objective,
        gradient: () => {
          const g = new Float64Array(v.length);
          centralDifferences(f, v, g);
          return { value: f(), grad: g };
        },
        flatten: asFlat,
      };
    }),
    peerMethod("tfjs", 2e-2, async () => {
      await initTf();
      return { ...tfSpring(inp), flatten: flatPeer };
    }),
    peerMethod(
      "jax",
      1e-4,
      async () => {
        await initJax();
        const j = jaxSpring(inp);
        return { ...j.eager, dispose: j.dispose, flatten: flatPeer };
      },
      "eager: no result within 120 s (measured once)",
    ),
    peerMethod("jax-jit", 1e-4, async () => {
      await initJax();
      const j = jaxSpring(inp);
      return { ...j.jit, dispose: j.dispose, flatten: flatPeer };
    }),
  ];
  yield { workload: "spring", size: `${x0.length / 2} particles, ${rest.length} springs, ${steps} steps`, nparams: v0.length, methods };
}
