/**
 * Hand-written value and gradient of the MLP loss (the practical lower bound): the forward pass
 * keeps the hidden activations of the whole batch, the backward pass is the usual
 *   dZ = (softmax(Z) * sum(Y) - Y) / batch,  dW2 += dZ^T H,  dH = dZ W2,  dA = dH (1 - H^2),
 *   dW1 += dA^T X
 * with every inner loop running over contiguous rows.
 */

export interface MlpGrad {
  value: number;
  grad: { W1: Float64Array; b1: Float64Array; W2: Float64Array; b2: Float64Array };
}

let H = new Float64Array(0);
let z = new Float64Array(0);
let dh = new Float64Array(0);

export function mlp_grad_hand(
  W1: Float64Array,
  b1: Float64Array,
  W2: Float64Array,
  b2: Float64Array,
  X: Float64Array,
  Y: Float64Array,
  batch: number,
): MlpGrad {
  const nhid = b1.length;
  const nout = b2.length;
  const nin = X.length / batch;
  if (H.length < batch * nhid) H = new Float64Array(batch * nhid);
  if (z.length < nout) z = new Float64Array(nout);
  if (dh.length < nhid) dh = new Float64Array(nhid);
  const dW1 = new Float64Array(W1.length);
  const db1 = new Float64Array(b1.length);
  const dW2 = new Float64Array(W2.length);
  const db2 = new Float64Array(b2.length);
  const inv = 1 / batch;
  let loss = 0;
  for (let s = 0; s < batch; s++) {
    const xo = s * nin;
    const ho = s * nhid;
    for (let j = 0; j < nhid; j++) {
      const wo = j * nin;
      let a = b1[j]!;
      for (let i = 0; i < nin; i++) a += W1[wo + i]! * X[xo + i]!;
      H[ho + j] = Math.tanh(a);
    }
    let mx = -Infinity;
    for (let k = 0; k < nout; k++) {
      const wo = k * nhid;
      let a = b2[k]!;
      for (let j = 0; j < nhid; j++) a += W2[wo + j]! * H[ho + j]!;
      z[k] = a;
      if (a > mx) mx = a;
    }
    let se = 0;
    let sy = 0;
    for (let k = 0; k < nout; k++) {
      const e = Math.exp(z[k]! - mx);
      se += e;
      sy += Y[s * nout + k]!;
    }
    const lse = mx + Math.log(se);
    // backward for this sample
    dh.fill(0);
    for (let k = 0; k < nout; k++) {
      const y = Y[s * nout + k]!;
      loss -= y * (z[k]! - lse);
      const dz = (Math.exp(z[k]! - lse) * sy - y) * inv;
      db2[k] += dz;
      const wo = k * nhid;
      for (let j = 0; j < nhid; j++) {
        dW2[wo + j] += dz * H[ho + j]!;
        dh[j] += dz * W2[wo + j]!;
      }
    }
    for (let j = 0; j < nhid; j++) {
      const h = H[ho + j]!;
      const da = dh[j]! * (1 - h * h);
      db1[j] += da;
      const wo = j * nin;
      for (let i = 0; i < nin; i++) dW1[wo + i] += da * X[xo + i]!;
    }
  }
  return { value: loss * inv, grad: { W1: dW1, b1: db1, W2: dW2, b2: db2 } };
}
