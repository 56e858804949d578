/**
 * Object-style mass-spring case: bench/spring's instance (4 x 4 grid, 42 springs, 500 explicit
 * Euler steps) written over Particle[] / Spring[] / Vec2[] (objective.ts). Methods: hand
 * (hand.ts), tsgrad (the generated gradient of the object version), tsgrad-flat (bench/spring's
 * generated gradient of the flat version on the same numbers; it covers the velocities only and
 * is compared on them), fd. The gradient time ratios tsgrad / hand and tsgrad / tsgrad-flat are
 * measured interleaved (Case.ratios).
 *
 * Canonical gradient order: [pos.x, pos.y, vel.x, vel.y, mass] per particle.
 */
import * as gen from "bench-tsgrad:particles";
import * as genFlat from "bench-tsgrad:spring";
import { fdMethod, handMethod, tsgradMethod } from "../common/methods.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case, Flat } from "../common/types.js";
import { centralDifferences } from "../common/util.js";
import type { SpringGrad } from "../spring/hand.js";
import { spring_loss } from "../spring/objective.js";
import { makeParticles } from "./data.js";
import { flattenParticles, simulate_grad_hand, type ParticlesGrad } from "./hand.js";
import { simulate, type Particle } from "./objective.js";

type GradFn = (...args: Parameters<typeof simulate>) => ParticlesGrad;
type FlatGradFn = (...args: Parameters<typeof spring_loss>) => SpringGrad;
const tsgradGrad = generated<GradFn>(gen, "simulate_grad");
const tsgradFlatGrad = generated<FlatGradFn>(genFlat, "spring_loss_grad");

const objGrad = (r: unknown): Flat => ({ value: (r as ParticlesGrad).value, grad: flattenParticles((r as ParticlesGrad).grad.initial) });

/** Particles from a flat vector in the canonical order (for finite differences). */
function unflatten(x: Float64Array, n: number): Particle[] {
  const ps: Particle[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const o = 5 * i;
    ps[i] = { pos: { x: x[o]!, y: x[o + 1]! }, vel: { x: x[o + 2]!, y: x[o + 3]! }, mass: x[o + 4]! };
  }
  return ps;
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars
export async function* particlesCases(_o: BuildOptions): AsyncGenerator<Case> {
  const { flat: f, obj } = makeParticles(4, 500);
  const { initial, springs, target, k, damping, dt, steps } = obj;
  const n = initial.length;
  const objective = () => simulate(initial, springs, target, k, damping, dt, steps);
  const flatObjective = () => spring_loss(f.x0, f.v0, f.springs, f.rest, f.target, f.stiffness, f.damping, f.mass, f.dt, f.steps);
  // The flat gradient holds d/dv0 = the velocities, slots 2 and 3 of each particle.
  const velIndex = Array.from({ length: 2 * n }, (_, q) => 5 * (q >> 1) + 2 + (q & 1));
  const methods = [
    handMethod({ objective, gradient: () => simulate_grad_hand(initial, springs, target, k, damping, dt, steps), flatten: objGrad }),
    ...tsgradMethod(tsgradGrad !== undefined, () => ({
      objective,
      gradient: () => tsgradGrad!(initial, springs, target, k, damping, dt, steps),
      flatten: objGrad,
    })),
    ...tsgradMethod(
      tsgradFlatGrad !== undefined,
      () => ({
        objective: flatObjective,
        gradient: () => tsgradFlatGrad!(f.x0, f.v0, f.springs, f.rest, f.target, f.stiffness, f.damping, f.mass, f.dt, f.steps),
        flatten: (r) => ({ value: (r as SpringGrad).value, grad: (r as SpringGrad).grad.v0, index: velIndex }),
      }),
      "tsgrad-flat",
    ),
    fdMethod(5 * n, 100, () => {
      const x = flattenParticles(initial);
      const fx = () => simulate(unflatten(x, n), springs, target, k, damping, dt, steps);
      return {
        objective,
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
    workload: "particles",
    size: `${n} particles, ${springs.length} springs, ${steps} steps`,
    nparams: 5 * n,
    methods,
    // Same model, same numbers, same operation order: the two objectives agree to rounding.
    checks: [{ label: "simulate (Particle[]) = spring_loss (Float64Array)", actual: objective(), expected: flatObjective(), tol: 1e-12 }],
    ratios: [
      { num: "tsgrad", den: "hand" },
      { num: "tsgrad", den: "tsgrad-flat" },
    ],
  };
}
