/**
 * The mass-spring simulation with TF.js and jax-js, as their users would write it: positions and
 * velocities as [n, 2] tensors, spring vectors and forces through the ns x n incidence matrix D
 * (row s: -1 at a_s, +1 at b_s), 500 unrolled Euler steps.
 */
import { jax, np, f64, type JArray } from "../common/jax.js";
import { tf, t32 } from "../common/tf.js";
import type { SpringInput } from "./data.js";

const GRAVITY = 9.81;

export interface PeerGrad {
  value: number;
  grads: ArrayLike<number>[];
}

function incidence(inp: SpringInput): Float64Array {
  const n = inp.x0.length / 2;
  const ns = inp.rest.length;
  const D = new Float64Array(ns * n);
  for (let s = 0; s < ns; s++) {
    D[s * n + inp.springs[2 * s]!] = -1;
    D[s * n + inp.springs[2 * s + 1]!] = 1;
  }
  return D;
}

function transpose(a: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = a[i * cols + j]!;
  return t;
}

export function tfSpring(inp: SpringInput) {
  const n = inp.x0.length / 2;
  const ns = inp.rest.length;
  const { stiffness: k, damping, mass, dt, steps } = inp;
  const D = t32(incidence(inp), [ns, n]);
  const rest = t32(inp.rest, [ns, 1]);
  const x0 = t32(inp.x0, [n, 2]);
  const target = t32(inp.target, [n, 2]);
  const gravity = tf.tensor2d([0, -mass * GRAVITY], [1, 2]);

  const loss = (v0: tf.Tensor): tf.Scalar => {
    let pos = x0;
    let vel = v0;
    for (let step = 0; step < steps; step++) {
      const d = tf.matMul(D, pos); // [ns, 2]
      const len = tf.sqrt(tf.sum(tf.square(d), 1, true)); // [ns, 1]
      const f = tf.div(tf.mul(k, tf.sub(len, rest)), len);
      const springForce = tf.neg(tf.matMul(D, tf.mul(f, d), true, false)); // [n, 2]
      const force = tf.add(tf.sub(springForce, tf.mul(damping, vel)), gravity);
      pos = tf.add(pos, tf.mul(dt, vel));
      vel = tf.add(vel, tf.mul(dt / mass, force));
    }
    return tf.sum(tf.square(tf.sub(pos, target)));
  };
  const vg = tf.valueAndGrad(loss);
  return {
    objective: (): number => tf.tidy(() => loss(t32(inp.v0, [n, 2])).dataSync()[0]!),
    gradient: (): PeerGrad =>
      tf.tidy(() => {
        const { value, grad } = vg(t32(inp.v0, [n, 2]));
        return { value: value.dataSync()[0]!, grads: [grad.dataSync()] };
      }),
    dispose: () => {
      for (const t of [D, rest, x0, target, gravity]) t.dispose();
    },
  };
}

export function jaxSpring(inp: SpringInput) {
  const n = inp.x0.length / 2;
  const ns = inp.rest.length;
  const { stiffness: k, damping, mass, dt, steps } = inp;
  const Dd = incidence(inp);
  const consts = {
    D: f64(Dd, [ns, n]),
    DT: f64(transpose(Dd, ns, n), [n, ns]),
    rest: f64(Float64Array.from(inp.rest), [ns, 1]),
    x0: f64(inp.x0, [n, 2]),
    target: f64(inp.target, [n, 2]),
    gravity: f64(new Float64Array([0, -mass * GRAVITY]), [1, 2]),
  };
  type Consts = typeof consts;

  /** Consumes its arguments. */
  const loss = (v0: JArray, D: JArray, DT: JArray, rest: JArray, x0: JArray, target: JArray, gravity: JArray): JArray => {
    let pos = x0;
    let vel = v0;
    for (let step = 0; step < steps; step++) {
      const d = np.matmul(D.ref, pos.ref); // [ns, 2]
      const len = np.sqrt(np.square(d.ref).sum(1, { keepdims: true })); // [ns, 1]
      const f = len.ref.sub(rest.ref).mul(k).div(len);
      const springForce = np.matmul(DT.ref, f.mul(d)).neg(); // [n, 2]
      const force = springForce.sub(vel.ref.mul(damping)).add(gravity.ref);
      pos = pos.add(vel.ref.mul(dt));
      vel = vel.add(force.mul(dt / mass));
    }
    for (const a of [D, DT, rest, gravity, vel]) a.dispose();
    return np.square(pos.sub(target)).sum();
  };
  const vg = jax.valueAndGrad(loss);
  const vgJit = jax.jit(vg);
  const lossJit = jax.jit(loss);
  const args = (): Parameters<typeof loss> => {
    const c = consts as Consts;
    return [f64(inp.v0, [n, 2]), c.D.ref, c.DT.ref, c.rest.ref, c.x0.ref, c.target.ref, c.gravity.ref];
  };
  const unpack = ([value, grad]: [JArray, JArray]): PeerGrad => ({ value: value.dataSync()[0]!, grads: [grad.dataSync()] });
  return {
    eager: {
      objective: () => loss(...args()).dataSync()[0]!,
      gradient: () => unpack(vg(...args()) as unknown as [JArray, JArray]),
    },
    jit: {
      objective: () => lossJit(...args()).dataSync()[0]!,
      gradient: () => unpack(vgJit(...args()) as unknown as [JArray, JArray]),
    },
    dispose: () => {
      vgJit.dispose();
      lossJit.dispose();
      for (const a of Object.values(consts)) a.dispose();
    },
  };
}
