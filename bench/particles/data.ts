/**
 * The particles instance: bench/spring's numbers (makeSpring) as Particle[], Spring[] and Vec2[]
 * (for `simulate`), and the same numbers over flat arrays (for `simulateFlat`).
 */
import { makeSpring, type SpringInput } from "../spring/data.js";
import type { Particle, Spring, Vec2 } from "./objective.js";

export interface ParticlesInput {
  initial: Particle[];
  springs: Spring[];
  target: Vec2[];
  k: number;
  damping: number;
  dt: number;
  steps: number;
}

/** The object form of a flat spring instance (every particle gets the instance's mass). */
export function toParticles(f: SpringInput): ParticlesInput {
  const n = f.x0.length / 2;
  const initial: Particle[] = [];
  const target: Vec2[] = [];
  for (let i = 0; i < n; i++) {
    initial.push({ pos: { x: f.x0[2 * i]!, y: f.x0[2 * i + 1]! }, vel: { x: f.v0[2 * i]!, y: f.v0[2 * i + 1]! }, mass: f.mass });
    target.push({ x: f.target[2 * i]!, y: f.target[2 * i + 1]! });
  }
  const springs: Spring[] = f.rest.map((rest, s) => ({ i: f.springs[2 * s]!, j: f.springs[2 * s + 1]!, rest }));
  return { initial, springs, target, k: f.stiffness, damping: f.damping, dt: f.dt, steps: f.steps };
}

/** `simulateFlat`'s arguments, in its order: the object form's numbers over flat arrays. */
export interface ParticlesFlatInput {
  x0: Float64Array;
  v0: Float64Array;
  masses: Float64Array;
  springs: number[];
  rest: number[];
  target: Float64Array;
  k: number;
  damping: number;
  dt: number;
  steps: number;
}

/** The flat-array form of an object instance (read from the objects, so per-particle masses carry over). */
export function toFlatParticles(o: ParticlesInput): ParticlesFlatInput {
  const n = o.initial.length;
  const x0 = new Float64Array(2 * n);
  const v0 = new Float64Array(2 * n);
  const masses = new Float64Array(n);
  const target = new Float64Array(2 * n);
  o.initial.forEach((p, i) => {
    x0[2 * i] = p.pos.x;
    x0[2 * i + 1] = p.pos.y;
    v0[2 * i] = p.vel.x;
    v0[2 * i + 1] = p.vel.y;
    masses[i] = p.mass;
    target[2 * i] = o.target[i]!.x;
    target[2 * i + 1] = o.target[i]!.y;
  });
  const springs = o.springs.flatMap((s) => [s.i, s.j]);
  const rest = o.springs.map((s) => s.rest);
  return { x0, v0, masses, springs, rest, target, k: o.k, damping: o.damping, dt: o.dt, steps: o.steps };
}

/**
 * The same instance in three forms: a side x side grid (bench/spring's), `steps` steps. `flat` is
 * bench/spring's (`spring_loss`'s arguments, one scalar mass), `obj` the object form
 * (`simulate`'s), `arrays` the object form's numbers over flat arrays (`simulateFlat`'s).
 */
export function makeParticles(side = 4, steps = 500): { flat: SpringInput; obj: ParticlesInput; arrays: ParticlesFlatInput } {
  const flat = makeSpring(side, steps);
  const obj = toParticles(flat);
  return { flat, obj, arrays: toFlatParticles(obj) };
}
