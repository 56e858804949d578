/**
 * The GMM objective written the way a TensorFlow.js or jax-js user would: batched over points and
 * components, Q_k built from icf with a constant 0/1 scatter matrix.
 */
import type { GmmInput } from "../common/adbench.js";
import { np, jax, f64, type JArray } from "../common/jax.js";
import { tf, t32 } from "../common/tf.js";
import { gmmConstant } from "./hand.js";

/** S (T x d*d) with S[t][r*d + c] = 1 when icf's t-th strictly-lower entry is L[r][c]. */
function scatterMatrix(d: number): Float64Array {
  const T = (d * (d - 1)) / 2;
  const s = new Float64Array(Math.max(T, 1) * d * d);
  let t = 0;
  for (let c = 0; c < d; c++) for (let r = c + 1; r < d; r++) s[t++ * d * d + r * d + c] = 1;
  return s;
}

export interface PeerGrad {
  value: number;
  grads: ArrayLike<number>[];
}

export function tfGmm(inp: GmmInput) {
  const { d, k, n, gamma, m } = inp;
  const T = (d * (d - 1)) / 2;
  const x = t32(inp.x, [n, d]);
  const S = t32(scatterMatrix(d), [Math.max(T, 1), d * d]);
  const eye = tf.eye(d);
  const constant = gmmConstant(d, k, n, gamma, m);

  const loss = (alphas: tf.Tensor, means: tf.Tensor, icf: tf.Tensor): tf.Scalar => {
    const q = tf.slice(icf, [0, 0], [k, d]);
    const l = tf.slice(icf, [0, d], [k, T]);
    const qd = tf.exp(q);
    const L = tf.reshape(tf.matMul(l, S), [k, d, d]);
    const Q = tf.add(tf.mul(tf.reshape(qd, [k, 1, d]), eye), L);
    const xc = tf.sub(tf.reshape(x, [1, n, d]), tf.reshape(means, [k, 1, d]));
    const y = tf.matMul(xc, Q, false, true); // [k, n, d]
    const sq = tf.sum(tf.square(y), 2); // [k, n]
    const sumQ = tf.sum(q, 1); // [k]
    const main = tf.sub(tf.reshape(tf.add(alphas, sumQ), [k, 1]), tf.mul(0.5, sq));
    const slse = tf.sum(tf.logSumExp(main, 0));
    const lseA = tf.logSumExp(alphas);
    const frob = tf.add(tf.sum(tf.square(qd)), tf.sum(tf.square(l)));
    const prior = tf.sub(tf.mul(0.5 * gamma * gamma, frob), tf.mul(m, tf.sum(q)));
    return tf.add(tf.add(tf.sub(slse, tf.mul(n, lseA)), prior), constant) as tf.Scalar;
  };
  const vg = tf.valueAndGrads(loss as (...a: tf.Tensor[]) => tf.Scalar);
  const args = () => [t32(inp.alphas, [k]), t32(inp.means, [k, d]), t32(inp.icf, [k, (d * (d + 1)) / 2])];

  return {
    objective: (): number => tf.tidy(() => (loss(...(args() as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!)),
    gradient: (): PeerGrad =>
      tf.tidy(() => {
        const { value, grads } = vg(args());
        return { value: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync()) };
      }),
    dispose: () => {
      x.dispose();
      S.dispose();
      eye.dispose();
    },
  };
}

export function jaxGmm(inp: GmmInput) {
  const { d, k, n, gamma, m } = inp;
  const T = (d * (d - 1)) / 2;
  const eyeData = new Float64Array(d * d);
  for (let i = 0; i < d; i++) eyeData[i * d + i] = 1;
  // Constant data stays on the device; parameters are uploaded on every call.
  const xA = f64(inp.x, [n, d]);
  const sA = f64(scatterMatrix(d), [Math.max(T, 1), d * d]);
  const eyeA = f64(eyeData, [d, d]);
  const constant = gmmConstant(d, k, n, gamma, m);

  // Every argument is consumed (jax-js's ownership rules): `.ref` for each extra use.
  const loss = (alphas: JArray, means: JArray, icf: JArray, x: JArray, S: JArray, eye: JArray): JArray => {
    const q = icf.ref.slice([], [0, d]);
    const l = icf.slice([], [d, d + T]);
    const qd = np.exp(q.ref);
    const L = np.matmul(l.ref, S).reshape([k, d, d]);
    const Q = qd.ref.reshape([k, 1, d]).mul(eye).add(L);
    const xc = x.reshape([1, n, d]).sub(means.reshape([k, 1, d]));
    const y = np.matmul(xc, Q.transpose([0, 2, 1])); // [k, n, d]
    const sq = np.square(y).sum(2); // [k, n]
    const sumQ = q.ref.sum(1);
    const main = alphas.ref.add(sumQ).reshape([k, 1]).sub(sq.mul(0.5));
    const slse = jax.nn.logsumexp(main, 0).sum();
    const lseA = jax.nn.logsumexp(alphas);
    const frob = np.square(qd).sum().add(np.square(l).sum());
    const prior = frob.mul(0.5 * gamma * gamma).sub(q.sum().mul(m));
    return slse.sub(lseA.mul(n)).add(prior).add(constant);
  };
  const vg = jax.valueAndGrad(loss, { argnums: [0, 1, 2] });
  const vgJit = jax.jit(vg);
  const lossJit = jax.jit(loss);
  const args = (): [JArray, JArray, JArray, JArray, JArray, JArray] => [
    f64(inp.alphas, [k]),
    f64(inp.means, [k, d]),
    f64(inp.icf, [k, (d * (d + 1)) / 2]),
    xA.ref,
    sA.ref,
    eyeA.ref,
  ];
  const unpack = ([value, grads]: [JArray, JArray[]]): PeerGrad => ({
    value: value.dataSync()[0]!,
    grads: grads.map((g) => g.dataSync()),
  });

  return {
    eager: {
      objective: () => loss(...args()).dataSync()[0]!,
      gradient: () => unpack(vg(...args()) as unknown as [JArray, JArray[]]),
    },
    jit: {
      objective: () => lossJit(...args()).dataSync()[0]!,
      gradient: () => unpack(vgJit(...args()) as unknown as [JArray, JArray[]]),
    },
    dispose: () => {
      vgJit.dispose();
      lossJit.dispose();
      xA.dispose();
      sA.dispose();
      eyeA.dispose();
    },
  };
}
