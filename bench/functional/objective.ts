/**
 * One objective written twice (issue 12): a small multilayer perceptron (tanh hidden layer,
 * sigmoid output) with binary cross-entropy averaged over a batch plus an L2 penalty on the
 * weights.
 *
 * `mlpLossFunctional` is written the way public TypeScript writes it: arrow helpers (`dot`,
 * `sumSq`, `sigmoid`), a `map` per sample and a `map` per hidden unit, and `reduce` for every
 * sum (see the note above it for the one change tsgrad asks for). `mlpLossLoop` is the same computation with for loops and
 * indices, in the same operation order, so the two return the same number (bit for bit).
 *
 *   W1: nhid rows of nin weights, b1: nhid, w2: nhid, b2: a number
 *   xs: batch rows of nin inputs, ys: batch labels in {0, 1}, lambda: the L2 weight
 */

const dot = (a: readonly number[], b: readonly number[]): number => a.reduce((s, ai, i) => s + ai * b[i], 0);
const sumSq = (v: readonly number[]): number => v.reduce((s, vi) => s + vi * vi, 0);
const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

// The first way to write it, `xs.map((x, i) => ...)`, `W1.map((row, j) => ...)` and
// `W1.reduce((s, row) => s + sumSq(row), 0)`, is rejected by tsgrad (TSG1070: "Array method
// 'map' on a matrix; loop over its rows"): no array method applies to a number[][]. So the
// per-sample map runs over the labels `ys` and the per-unit map over the biases `b1`, and they
// index the matrices' rows (`xs[i]`, `W1[j]`).
export function mlpLossFunctional(
  W1: number[][],
  b1: number[],
  w2: number[],
  b2: number,
  xs: number[][],
  ys: number[],
  lambda: number,
): number {
  const losses = ys.map((y, i) => {
    const h = b1.map((bj, j) => Math.tanh(dot(W1[j], xs[i]) + bj));
    const p = sigmoid(dot(w2, h) + b2);
    return -(y * Math.log(p) + (1 - y) * Math.log(1 - p));
  });
  const data = losses.reduce((s, l) => s + l, 0) / ys.length;
  const l2 = b1.reduce((s, _bj, j) => s + sumSq(W1[j]), 0) + sumSq(w2);
  return data + 0.5 * lambda * l2;
}

export function mlpLossLoop(
  W1: number[][],
  b1: number[],
  w2: number[],
  b2: number,
  xs: number[][],
  ys: number[],
  lambda: number,
): number {
  const n = xs.length;
  const nhid = W1.length;
  const nin = xs[0].length;
  const h: number[] = new Array(nhid).fill(0);
  let total = 0;
  for (let s = 0; s < n; s++) {
    const x = xs[s];
    for (let j = 0; j < nhid; j++) {
      const row = W1[j];
      let a = 0;
      for (let i = 0; i < nin; i++) a += row[i] * x[i];
      h[j] = Math.tanh(a + b1[j]);
    }
    let z = 0;
    for (let j = 0; j < nhid; j++) z += w2[j] * h[j];
    const p = 1 / (1 + Math.exp(-(z + b2)));
    total += -(ys[s] * Math.log(p) + (1 - ys[s]) * Math.log(1 - p));
  }
  const data = total / n;
  let l2 = 0;
  for (let j = 0; j < nhid; j++) {
    let t = 0;
    for (let i = 0; i < nin; i++) t += W1[j][i] * W1[j][i];
    l2 += t;
  }
  let v = 0;
  for (let j = 0; j < nhid; j++) v += w2[j] * w2[j];
  return data + 0.5 * lambda * (l2 + v);
}
