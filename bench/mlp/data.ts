/** The MLP instance: 32-64-10, batch 64, Gaussian inputs, random one-hot labels. */
import { Rng } from "../common/util.js";

export interface MlpInput {
  W1: Float64Array;
  b1: Float64Array;
  W2: Float64Array;
  b2: Float64Array;
  X: Float64Array;
  Y: Float64Array;
  batch: number;
  nin: number;
  nhid: number;
  nout: number;
}

export function makeMlp(nin = 32, nhid = 64, nout = 10, batch = 64): MlpInput {
  const rng = new Rng(11);
  const fill = (len: number, scale: number) => Float64Array.from({ length: len }, () => scale * rng.normal());
  const W1 = fill(nhid * nin, 1 / Math.sqrt(nin));
  const b1 = fill(nhid, 0.1);
  const W2 = fill(nout * nhid, 1 / Math.sqrt(nhid));
  const b2 = fill(nout, 0.1);
  const X = fill(batch * nin, 1);
  const Y = new Float64Array(batch * nout);
  for (let s = 0; s < batch; s++) Y[s * nout + rng.int(nout)] = 1;
  return { W1, b1, W2, b2, X, Y, batch, nin, nhid, nout };
}
