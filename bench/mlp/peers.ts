/** The MLP with TF.js and jax-js: two matmuls, tanh, log-softmax, mean cross-entropy. */
import { jax, np, f64, type JArray } from "../common/jax.js";
import { tf, t32 } from "../common/tf.js";
import type { MlpInput } from "./data.js";

export interface PeerGrad {
  value: number;
  grads: ArrayLike<number>[];
}

export function tfMlp(inp: MlpInput) {
  const { batch, nin, nhid, nout } = inp;
  const X = t32(inp.X, [batch, nin]);
  const Y = t32(inp.Y, [batch, nout]);
  const loss = (W1: tf.Tensor, b1: tf.Tensor, W2: tf.Tensor, b2: tf.Tensor): tf.Scalar => {
    const h = tf.tanh(tf.add(tf.matMul(X, W1, false, true), b1));
    const logits = tf.add(tf.matMul(h, W2, false, true), b2);
    return tf.div(tf.neg(tf.sum(tf.mul(Y, tf.logSoftmax(logits)))), batch) as tf.Scalar;
  };
  const vg = tf.valueAndGrads(loss as (...a: tf.Tensor[]) => tf.Scalar);
  const args = () => [t32(inp.W1, [nhid, nin]), t32(inp.b1, [nhid]), t32(inp.W2, [nout, nhid]), t32(inp.b2, [nout])];
  return {
    objective: (): number => tf.tidy(() => loss(...(args() as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!),
    gradient: (): PeerGrad =>
      tf.tidy(() => {
        const { value, grads } = vg(args());
        return { value: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync()) };
      }),
    dispose: () => {
      X.dispose();
      Y.dispose();
    },
  };
}

export function jaxMlp(inp: MlpInput) {
  const { batch, nin, nhid, nout } = inp;
  const XA = f64(inp.X, [batch, nin]);
  const YA = f64(inp.Y, [batch, nout]);
  /** Consumes its arguments. */
  const loss = (W1: JArray, b1: JArray, W2: JArray, b2: JArray, X: JArray, Y: JArray): JArray => {
    const h = np.tanh(np.matmul(X, W1.transpose()).add(b1));
    const logits = np.matmul(h, W2.transpose()).add(b2);
    return Y.mul(jax.nn.logSoftmax(logits)).sum().mul(-1 / batch);
  };
  const vg = jax.valueAndGrad(loss, { argnums: [0, 1, 2, 3] });
  const vgJit = jax.jit(vg);
  const lossJit = jax.jit(loss);
  const args = (): Parameters<typeof loss> => [
    f64(inp.W1, [nhid, nin]),
    f64(inp.b1, [nhid]),
    f64(inp.W2, [nout, nhid]),
    f64(inp.b2, [nout]),
    XA.ref,
    YA.ref,
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
      XA.dispose();
      YA.dispose();
    },
  };
}
