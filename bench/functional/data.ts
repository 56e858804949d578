/**
 * The functional-vs-loop instance: a 16-32-1 perceptron on a batch of 128 samples with labels
 * from a random "teacher" network plus noise (so that the classes overlap), from fixed seeds.
 */
import { Rng } from "../common/util.js";

export interface FunctionalInput {
  W1: number[][];
  b1: number[];
  w2: number[];
  b2: number;
  xs: number[][];
  ys: number[];
  lambda: number;
  nin: number;
  nhid: number;
  batch: number;
}

export function makeFunctional(nin = 16, nhid = 32, batch = 128, seed = 12): FunctionalInput {
  const rng = new Rng(seed);
  const vec = (len: number, scale: number) => Array.from({ length: len }, () => scale * rng.normal());
  const mat = (rows: number, cols: number, scale: number) => Array.from({ length: rows }, () => vec(cols, scale));
  const W1 = mat(nhid, nin, 1 / Math.sqrt(nin));
  const b1 = vec(nhid, 0.1);
  const w2 = vec(nhid, 1 / Math.sqrt(nhid));
  const b2 = 0.1 * rng.normal();
  const xs = mat(batch, nin, 1);
  const teacher = vec(nin, 1);
  const ys = xs.map((x) => (x.reduce((s, xi, i) => s + xi * teacher[i]!, 0) + rng.normal() > 0 ? 1 : 0));
  return { W1, b1, w2, b2, xs, ys, lambda: 1e-3, nin, nhid, batch };
}
