/** The particles instance: bench/spring's numbers (makeSpring) as Particle[], Spring[] and Vec2[]. */
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

/** Both forms of the same instance: a side x side grid (bench/spring's), `steps` steps. */
export function makeParticles(side = 4, steps = 500): { flat: SpringInput; obj: ParticlesInput } {
  const flat = makeSpring(side, steps);
  return { flat, obj: toParticles(flat) };
}
