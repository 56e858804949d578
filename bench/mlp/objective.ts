/**
 * A two-layer perceptron (tanh hidden layer) with softmax cross-entropy, averaged over a batch.
 *
 * Plain TypeScript as a user would write it; tsgrad compiles it to objective.grad.ts.
 *
 *   W1: nhid x nin, b1: nhid, W2: nout x nhid, b2: nout (row-major)
 *   X:  batch x nin inputs; Y: batch x nout one-hot labels
 */
export function mlp_loss(
  W1: Float64Array,
  b1: Float64Array,
  W2: Float64Array,
  b2: Float64Array,
  X: Float64Array,
  Y: Float64Array,
  batch: number,
): number {
  const nhid = b1.length;
  const nout = b2.length;
  const nin = X.length / batch;
  const hidden = new Float64Array(nhid);
  const logits = new Float64Array(nout);
  let loss = 0;
  for (let s = 0; s < batch; s++) {
    for (let j = 0; j < nhid; j++) {
      let a = b1[j];
      for (let i = 0; i < nin; i++) {
        a += W1[j * nin + i] * X[s * nin + i];
      }
      hidden[j] = Math.tanh(a);
    }
    let mx = -Infinity;
    for (let k = 0; k < nout; k++) {
      let z = b2[k];
      for (let j = 0; j < nhid; j++) {
        z += W2[k * nhid + j] * hidden[j];
      }
      logits[k] = z;
      mx = Math.max(mx, z);
    }
    let sumexp = 0;
    for (let k = 0; k < nout; k++) {
      sumexp += Math.exp(logits[k] - mx);
    }
    const lse = mx + Math.log(sumexp);
    for (let k = 0; k < nout; k++) {
      loss -= Y[s * nout + k] * (logits[k] - lse);
    }
  }
  return loss / batch;
}
