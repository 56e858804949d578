/**
 * The LSTM loss with TF.js and jax-js, written as their users would: per time step and layer,
 * element-wise ops on b-vectors (the recurrence is sequential; ADBench's LSTM has no matrices).
 */
import type { LstmInput } from "../common/adbench.js";
import { jax, np, f64, type JArray } from "../common/jax.js";
import { tf, t32 } from "../common/tf.js";

export interface PeerGrad {
  value: number;
  grads: ArrayLike<number>[];
}

export function tfLstm(inp: LstmInput) {
  const { l, c, b } = inp;
  const seq = Array.from({ length: c }, (_, t) => t32(inp.sequence.subarray(t * b, (t + 1) * b), [b]));
  const seqSum = Array.from({ length: c }, (_, t) => inp.sequence.subarray(t * b, (t + 1) * b).reduce((a, v) => a + v, 0));
  const state = Array.from({ length: 2 * l }, (_, r) => t32(inp.state.subarray(r * b, (r + 1) * b), [b]));

  const loss = (main: tf.Tensor, extra: tf.Tensor): tf.Scalar => {
    const row = (t: tf.Tensor, r: number, blk: number) => tf.reshape(tf.slice(t, [r, blk * b], [1, b]), [b]);
    const W = Array.from({ length: l }, (_, i) => [0, 1, 2, 3].map((k) => row(main, 2 * i, k)));
    const B = Array.from({ length: l }, (_, i) => [0, 1, 2, 3].map((k) => row(main, 2 * i + 1, k)));
    const [wIn, wOut, bOut] = [row(extra, 0, 0), row(extra, 1, 0), row(extra, 2, 0)];
    const h: tf.Tensor[] = [];
    const s: tf.Tensor[] = [];
    for (let i = 0; i < l; i++) {
      h.push(state[2 * i]!);
      s.push(state[2 * i + 1]!);
    }
    let total: tf.Tensor = tf.scalar(0);
    for (let t = 0; t < c - 1; t++) {
      let x = tf.mul(seq[t]!, wIn);
      for (let i = 0; i < l; i++) {
        const [wf, wi, wo, wg] = W[i]!;
        const [bf, bi, bo, bg] = B[i]!;
        const f = tf.sigmoid(tf.add(tf.mul(x, wf!), bf!));
        const ig = tf.sigmoid(tf.add(tf.mul(h[i]!, wi!), bi!));
        const o = tf.sigmoid(tf.add(tf.mul(x, wo!), bo!));
        const g = tf.tanh(tf.add(tf.mul(h[i]!, wg!), bg!));
        s[i] = tf.add(tf.mul(s[i]!, f), tf.mul(ig, g));
        h[i] = tf.mul(o, tf.tanh(s[i]!));
        x = h[i]!;
      }
      const y = tf.add(tf.mul(x, wOut), bOut);
      const lse = tf.log(tf.add(2, tf.sum(tf.exp(y))));
      // sum(seq * (y - lse)) = sum(seq * y) - sum(seq) * lse
      total = tf.add(total, tf.sub(tf.sum(tf.mul(seq[t + 1]!, y)), tf.mul(seqSum[t + 1]!, lse)));
    }
    return tf.mul(total, -1 / ((c - 1) * b)) as tf.Scalar;
  };
  const vg = tf.valueAndGrads(loss as (...a: tf.Tensor[]) => tf.Scalar);
  const args = () => [t32(inp.mainParams, [2 * l, 4 * b]), t32(inp.extraParams, [3, b])];
  return {
    objective: (): number => tf.tidy(() => loss(...(args() as [tf.Tensor, tf.Tensor])).dataSync()[0]!),
    gradient: (): PeerGrad =>
      tf.tidy(() => {
        const { value, grads } = vg(args());
        return { value: value.dataSync()[0]!, grads: grads.map((g) => g.dataSync()) };
      }),
    dispose: () => {
      seq.forEach((t) => t.dispose());
      state.forEach((t) => t.dispose());
    },
  };
}

export function jaxLstm(inp: LstmInput) {
  const { l, c, b } = inp;
  const seqSum = Array.from({ length: c }, (_, t) => inp.sequence.subarray(t * b, (t + 1) * b).reduce((a, v) => a + v, 0));

  /** Consumes its arguments. */
  const loss = (main: JArray, extra: JArray, state: JArray, sequence: JArray): JArray => {
    const W = Array.from({ length: l }, (_, i) => [0, 1, 2, 3].map((k) => main.ref.slice(2 * i, [k * b, (k + 1) * b])));
    const B = Array.from({ length: l }, (_, i) => [0, 1, 2, 3].map((k) => main.ref.slice(2 * i + 1, [k * b, (k + 1) * b])));
    main.dispose();
    const wIn = extra.ref.slice(0);
    const wOut = extra.ref.slice(1);
    const bOut = extra.slice(2);
    const h: JArray[] = [];
    const s: JArray[] = [];
    for (let i = 0; i < l; i++) {
      h.push(state.ref.slice(2 * i));
      s.push(state.ref.slice(2 * i + 1));
    }
    state.dispose();
    const seq = Array.from({ length: c }, (_, t) => sequence.ref.slice(t));
    sequence.dispose();
    let total: JArray = np.zeros([]);
    for (let t = 0; t < c - 1; t++) {
      let x = seq[t]!.ref.mul(wIn.ref);
      for (let i = 0; i < l; i++) {
        const [wf, wi, wo, wg] = W[i]!;
        const [bf, bi, bo, bg] = B[i]!;
        const f = jax.nn.sigmoid(x.ref.mul(wf!.ref).add(bf!.ref));
        const ig = jax.nn.sigmoid(h[i]!.ref.mul(wi!.ref).add(bi!.ref));
        const o = jax.nn.sigmoid(x.mul(wo!.ref).add(bo!.ref));
        const g = np.tanh(h[i]!.mul(wg!.ref).add(bg!.ref));
        s[i] = s[i]!.mul(f).add(ig.mul(g));
        h[i] = o.mul(np.tanh(s[i]!.ref));
        x = h[i]!.ref;
      }
      const y = x.mul(wOut.ref).add(bOut.ref);
      const lse = np.log(np.exp(y.ref).sum().add(2));
      total = total.add(seq[t + 1]!.ref.mul(y).sum().sub(lse.mul(seqSum[t + 1]!)));
    }
    for (const a of [...W.flat(), ...B.flat(), wIn, wOut, bOut, ...h, ...s, ...seq]) a.dispose();
    return total.mul(-1 / ((c - 1) * b));
  };
  const vg = jax.valueAndGrad(loss, { argnums: [0, 1] });
  const vgJit = jax.jit(vg);
  const lossJit = jax.jit(loss);
  const stateA = f64(inp.state, [2 * l, b]);
  const seqA = f64(inp.sequence, [c, b]);
  const args = (): [JArray, JArray, JArray, JArray] => [
    f64(inp.mainParams, [2 * l, 4 * b]),
    f64(inp.extraParams, [3, b]),
    stateA.ref,
    seqA.ref,
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
      stateA.dispose();
      seqA.dispose();
    },
  };
}
