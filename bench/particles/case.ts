/**
 * Object-style mass-spring case: bench/spring's instance (4 x 4 grid, 42 springs, 500 explicit
 * Euler steps) written over Particle[] / Spring[] / Vec2[] (objective.ts). Methods: hand
 * (hand.ts), tsgrad (the generated gradient of the object version), tsgrad-flat (the generated
 * gradient of `simulateFlat`, the same model written over flat Float64Arrays, objective.ts, on the
 * same numbers and w.r.t. the same parameters: positions, velocities and masses), fd. The
 * gradient time ratios tsgrad / hand and tsgrad / tsgrad-flat are measured interleaved
 * (Case.ratios).
 *
 * Canonical gradient order: [pos.x, pos.y, vel.x, vel.y, mass] per particle.
 */
import * as gen from "bench-tsgrad:particles";
import { fdMethod, handMethod, tsgradMethod } from "../common/methods.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case, Flat } from "../common/types.js";
import { centralDifferences } from "../common/util.js";
import { spring_loss } from "../spring/objective.js";
import { makeParticles } from "./data.js";
import { flattenParticles, simulate_grad_hand, type ParticlesGrad } from "./hand.js";
import { simulate, simulateFlat, type Particle } from "./objective.js";

type GradFn = (...args: Parameters<typeof simulate>) => ParticlesGrad;
interface FlatGrad {
  value: number;
  grad: { x0: Float64Array; v0: Float64Array; masses: Float64Array };
}
type FlatGradFn = (...args: Parameters<typeof simulateFlat>) => FlatGrad;
const tsgradGrad = generated<GradFn>(gen, "simulate_grad");
const tsgradFlatGrad = generated<FlatGradFn>(gen, "simulateFlat_grad");

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
  const { flat: f, obj, arrays: a } = makeParticles(4, 500);
  const { initial, springs, target, k, damping, dt, steps } = obj;
  const n = initial.length;
  const objective = () => simulate(initial, springs, target, k, damping, dt, steps);
  const flatObjective = () => simulateFlat(a.x0, a.v0, a.masses, a.springs, a.rest, a.target, a.k, a.damping, a.dt, a.steps);
  const springObjective = () => spring_loss(f.x0, f.v0, f.springs, f.rest, f.target, f.stiffness, f.damping, f.mass, f.dt, f.steps);
  // simulateFlat's gradient, concatenated as [x0, v0, masses], in the canonical order: x0[2i + c]
  // is slot c of particle i, v0[2i + c] slot 2 + c, masses[i] slot 4.
  const flatIndex = [
    ...Array.from({ length: 2 * n }, (_, q) => 5 * (q >> 1) + (q & 1)),
    ...Array.from({ length: 2 * n }, (_, q) => 5 * (q >> 1) + 2 + (q & 1)),
    ...Array.from({ length: n }, (_, i) => 5 * i + 4),
  ];
  const flatGrad = (r: unknown): Flat => {
    const { value, grad: g } = r as FlatGrad;
    const grad = new Float64Array(5 * n);
    grad.set(g.x0, 0);
    grad.set(g.v0, 2 * n);
    grad.set(g.masses, 4 * n);
    return { value, grad, index: flatIndex };
  };
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
        gradient: () => tsgradFlatGrad!(a.x0, a.v0, a.masses, a.springs, a.rest, a.target, a.k, a.damping, a.dt, a.steps),
        flatten: flatGrad,
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
    // Same model, same numbers, same operation order: the objectives agree to rounding (the flat
    // form of the same model, and bench/spring's, whose masses are one scalar equal to these).
    checks: [
      { label: "simulate (Particle[]) = simulateFlat (Float64Array)", actual: objective(), expected: flatObjective(), tol: 1e-12 },
      { label: "simulate (Particle[]) = spring_loss (bench/spring)", actual: objective(), expected: springObjective(), tol: 1e-12 },
    ],
    ratios: [
      { num: "tsgrad", den: "hand" },
      { num: "tsgrad", den: "tsgrad-flat" },
    ],
  };
}
