/**
 * Hand-written gradient of bench/functional's loss: one forward and backward pass per sample
 * (the loss is a sum over samples, so nothing is stored across samples), dloss/dz = p - y for
 * the sigmoid cross-entropy, the L2 term added at the end. Same operation order as the
 * objective's forward pass, so the value is the objective's to the last bit.
 */

export interface FunctionalGrad {
  value: number;
  grad: { W1: number[][]; b1: number[]; w2: number[]; b2: number };
}

export function mlp_grad_hand(
  W1: number[][],
  b1: number[],
  w2: number[],
  b2: number,
  xs: number[][],
  ys: number[],
  lambda: number,
): FunctionalGrad {
  const n = xs.length;
  const nhid = W1.length;
  const nin = xs[0]!.length;
  const dW1 = W1.map((row) => new Array<number>(row.length).fill(0));
  const db1 = new Array<number>(nhid).fill(0);
  const dw2 = new Array<number>(nhid).fill(0);
  let db2 = 0;
  const h = new Float64Array(nhid);
  const inv = 1 / n;
  let total = 0;
  for (let s = 0; s < n; s++) {
    const x = xs[s]!;
    for (let j = 0; j < nhid; j++) {
      const row = W1[j]!;
      let a = 0;
      for (let i = 0; i < nin; i++) a += row[i]! * x[i]!;
      h[j] = Math.tanh(a + b1[j]!);
    }
    let z = 0;
    for (let j = 0; j < nhid; j++) z += w2[j]! * h[j]!;
    const p = 1 / (1 + Math.exp(-(z + b2)));
    const y = ys[s]!;
    total += -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
    // backward
    const dz = (p - y) * inv;
    db2 += dz;
    for (let j = 0; j < nhid; j++) {
      const hj = h[j]!;
      dw2[j]! += dz * hj;
      const da = dz * w2[j]! * (1 - hj * hj);
      db1[j]! += da;
      const drow = dW1[j]!;
      for (let i = 0; i < nin; i++) drow[i]! += da * x[i]!;
    }
  }
  const data = total / n;
  let l2 = 0;
  for (let j = 0; j < nhid; j++) {
    const row = W1[j]!;
    const drow = dW1[j]!;
    let t = 0;
    for (let i = 0; i < nin; i++) {
      const w = row[i]!;
      t += w * w;
      drow[i]! += lambda * w;
    }
    l2 += t;
  }
  let v = 0;
  for (let j = 0; j < nhid; j++) {
    const w = w2[j]!;
    v += w * w;
    dw2[j]! += lambda * w;
  }
  return { value: data + 0.5 * lambda * (l2 + v), grad: { W1: dW1, b1: db1, w2: dw2, b2: db2 } };
}

/** The gradient in the workload's canonical order: W1 row by row, b1, w2, b2. */
export function flattenFunctional(g: FunctionalGrad["grad"]): Float64Array {
  return Float64Array.from([...g.W1.flat(), ...g.b1, ...g.w2, g.b2]);
}
