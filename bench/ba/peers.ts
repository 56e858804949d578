/**
 * BA with TF.js and jax-js, written as their users would: cameras and points gathered per
 * observation, residuals computed for all observations at once, and the two Jacobian rows of
 * every observation obtained as the gradients of sum(residual x) and sum(residual y) with respect
 * to the gathered per-observation parameters (each residual depends on its own row only).
 * The rotation uses the theta != 0 branch of Rodrigues' formula (every ADBench camera has a
 * non-zero rotation).
 */
import type { BaInput } from "../common/adbench.js";
import { jax, np, f64, type JArray } from "../common/jax.js";
import { tf, t32 } from "../common/tf.js";

/** Copies the gathered-parameter gradients of the two rows into the CSR values (hand.ts layout). */
function assemble(
  p: number,
  w: Float64Array,
  gx: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  gy: [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>],
  vals: Float64Array,
): Float64Array {
  for (let row = 0; row < 2; row++) {
    const [gc, gX, gw] = row === 0 ? gx : gy;
    for (let i = 0; i < p; i++) {
      const o = 30 * i + 15 * row;
      for (let t = 0; t < 11; t++) vals[o + t] = gc[11 * i + t]!;
      for (let t = 0; t < 3; t++) vals[o + 11 + t] = gX[3 * i + t]!;
      vals[o + 14] = gw[i]!;
    }
  }
  for (let i = 0; i < p; i++) vals[30 * p + i] = -2 * w[i]!;
  return vals;
}

function gatherIndices(inp: BaInput): { cam: Int32Array; pt: Int32Array } {
  const cam = new Int32Array(inp.p);
  const pt = new Int32Array(inp.p);
  for (let i = 0; i < inp.p; i++) {
    cam[i] = inp.obs[2 * i]!;
    pt[i] = inp.obs[2 * i + 1]!;
  }
  return { cam, pt };
}

export function tfBa(inp: BaInput) {
  const { n, m, p } = inp;
  const idx = gatherIndices(inp);
  const camIdx = tf.tensor1d(idx.cam, "int32");
  const ptIdx = tf.tensor1d(idx.pt, "int32");
  const feats = t32(inp.feats, [p, 2]);
  const fx = tf.reshape(tf.slice(feats, [0, 0], [p, 1]), [p]);
  const fy = tf.reshape(tf.slice(feats, [0, 1], [p, 1]), [p]);
  const vals = new Float64Array(31 * p);

  /** Residual rows (x, y) for gathered cameras [p, 11], points [p, 3] and weights [p]. */
  const residuals = (cams: tf.Tensor, pts: tf.Tensor, w: tf.Tensor): [tf.Tensor, tf.Tensor] => {
    const col = (t: tf.Tensor, j: number) => tf.reshape(tf.slice(t, [0, j], [p, 1]), [p]);
    const [r0, r1, r2] = [col(cams, 0), col(cams, 1), col(cams, 2)];
    const p0 = tf.sub(col(pts, 0), col(cams, 3));
    const p1 = tf.sub(col(pts, 1), col(cams, 4));
    const p2 = tf.sub(col(pts, 2), col(cams, 5));
    const theta = tf.sqrt(tf.add(tf.add(tf.square(r0), tf.square(r1)), tf.square(r2)));
    const ct = tf.cos(theta);
    const st = tf.sin(theta);
    const [v0, v1, v2] = [tf.div(r0, theta), tf.div(r1, theta), tf.div(r2, theta)];
    const cr0 = tf.sub(tf.mul(v1, p2), tf.mul(v2, p1));
    const cr1 = tf.sub(tf.mul(v2, p0), tf.mul(v0, p2));
    const cr2 = tf.sub(tf.mul(v0, p1), tf.mul(v1, p0));
    const tmp = tf.mul(tf.add(tf.add(tf.mul(v0, p0), tf.mul(v1, p1)), tf.mul(v2, p2)), tf.sub(1, ct));
    const x0 = tf.add(tf.add(tf.mul(p0, ct), tf.mul(cr0, st)), tf.mul(v0, tmp));
    const x1 = tf.add(tf.add(tf.mul(p1, ct), tf.mul(cr1, st)), tf.mul(v1, tmp));
    const x2 = tf.add(tf.add(tf.mul(p2, ct), tf.mul(cr2, st)), tf.mul(v2, tmp));
    const u = tf.div(x0, x2);
    const v = tf.div(x1, x2);
    const rsq = tf.add(tf.square(u), tf.square(v));
    const L = tf.add(tf.add(1, tf.mul(col(cams, 9), rsq)), tf.mul(col(cams, 10), tf.square(rsq)));
    const fL = tf.mul(col(cams, 6), L);
    const ex = tf.mul(w, tf.sub(tf.add(tf.mul(fL, u), col(cams, 7)), fx));
    const ey = tf.mul(w, tf.sub(tf.add(tf.mul(fL, v), col(cams, 8)), fy));
    return [ex, ey];
  };
  const gradX = tf.grads((c: tf.Tensor, X: tf.Tensor, w: tf.Tensor) => tf.sum(residuals(c, X, w)[0]));
  const gradY = tf.grads((c: tf.Tensor, X: tf.Tensor, w: tf.Tensor) => tf.sum(residuals(c, X, w)[1]));
  const gathered = () => {
    const cams = tf.gather(t32(inp.cams, [n, 11]), camIdx);
    const pts = tf.gather(t32(inp.X, [m, 3]), ptIdx);
    const w = t32(inp.w, [p]);
    return [cams, pts, w];
  };
  const data = (ts: tf.Tensor[]) => ts.map((t) => t.dataSync()) as [Float32Array, Float32Array, Float32Array];

  return {
    objective: (): Float32Array =>
      tf.tidy(() => {
        const [cams, pts, w] = gathered() as [tf.Tensor, tf.Tensor, tf.Tensor];
        const [ex, ey] = residuals(cams, pts, w);
        const werr = tf.sub(1, tf.square(w));
        return tf.concat([tf.reshape(tf.stack([ex, ey], 1), [2 * p]), werr]).dataSync() as Float32Array;
      }),
    gradient: (): Float64Array => {
      const [gx, gy] = tf.tidy(() => {
        const args = gathered();
        return [data(gradX(args)), data(gradY(args))];
      });
      return assemble(p, inp.w, gx!, gy!, vals);
    },
    dispose: () => {
      camIdx.dispose();
      ptIdx.dispose();
      feats.dispose();
      fx.dispose();
      fy.dispose();
    },
  };
}

export function jaxBa(inp: BaInput) {
  const { n, m, p } = inp;
  const idx = gatherIndices(inp);
  const camIdx = np.array(idx.cam, { dtype: np.int32 });
  const ptIdx = np.array(idx.pt, { dtype: np.int32 });
  const fxA = f64(Float64Array.from({ length: p }, (_, i) => inp.feats[2 * i]!), [p]);
  const fyA = f64(Float64Array.from({ length: p }, (_, i) => inp.feats[2 * i + 1]!), [p]);
  const vals = new Float64Array(31 * p);

  /** [ex, ey]; consumes all arguments. */
  const residuals = (cams: JArray, pts: JArray, w: JArray, fx: JArray, fy: JArray): [JArray, JArray] => {
    const c = (j: number) => cams.ref.slice([], j);
    const r0 = c(0);
    const r1 = c(1);
    const r2 = c(2);
    const p0 = pts.ref.slice([], 0).sub(c(3));
    const p1 = pts.ref.slice([], 1).sub(c(4));
    const p2 = pts.slice([], 2).sub(c(5));
    const theta = np.sqrt(np.square(r0.ref).add(np.square(r1.ref)).add(np.square(r2.ref)));
    const ct = np.cos(theta.ref);
    const st = np.sin(theta.ref);
    const v0 = r0.div(theta.ref);
    const v1 = r1.div(theta.ref);
    const v2 = r2.div(theta);
    const cr0 = v1.ref.mul(p2.ref).sub(v2.ref.mul(p1.ref));
    const cr1 = v2.ref.mul(p0.ref).sub(v0.ref.mul(p2.ref));
    const cr2 = v0.ref.mul(p1.ref).sub(v1.ref.mul(p0.ref));
    const tmp = v0.ref.mul(p0.ref).add(v1.ref.mul(p1.ref)).add(v2.ref.mul(p2.ref)).mul(np.subtract(1, ct.ref));
    const x0 = p0.mul(ct.ref).add(cr0.mul(st.ref)).add(v0.mul(tmp.ref));
    const x1 = p1.mul(ct.ref).add(cr1.mul(st.ref)).add(v1.mul(tmp.ref));
    const x2 = p2.mul(ct).add(cr2.mul(st)).add(v2.mul(tmp));
    const u = x0.div(x2.ref);
    const v = x1.div(x2);
    const rsq = np.square(u.ref).add(np.square(v.ref));
    const L = c(9).mul(rsq.ref).add(c(10).mul(np.square(rsq))).add(1);
    const fL = c(6).mul(L);
    const ex = w.ref.mul(fL.ref.mul(u).add(c(7)).sub(fx));
    const ey = w.mul(fL.mul(v).add(c(8)).sub(fy));
    cams.dispose();
    return [ex, ey];
  };
  const rowX = (c: JArray, X: JArray, w: JArray, fx: JArray, fy: JArray) => {
    const [ex, ey] = residuals(c, X, w, fx, fy);
    ey.dispose();
    return ex.sum();
  };
  const rowY = (c: JArray, X: JArray, w: JArray, fx: JArray, fy: JArray) => {
    const [ex, ey] = residuals(c, X, w, fx, fy);
    ex.dispose();
    return ey.sum();
  };
  const objective = (c: JArray, X: JArray, w: JArray, fx: JArray, fy: JArray) => {
    const werr = np.subtract(1, np.square(w.ref));
    const [ex, ey] = residuals(c, X, w, fx, fy);
    return np.concatenate([np.stack([ex, ey], 1).reshape([2 * p]), werr]);
  };
  const gx = jax.grad(rowX, { argnums: [0, 1, 2] });
  const gy = jax.grad(rowY, { argnums: [0, 1, 2] });
  const gxJit = jax.jit(gx);
  const gyJit = jax.jit(gy);
  const objJit = jax.jit(objective);
  const args = (): [JArray, JArray, JArray, JArray, JArray] => [
    np.take(f64(inp.cams, [n, 11]), camIdx.ref, 0),
    np.take(f64(inp.X, [m, 3]), ptIdx.ref, 0),
    f64(inp.w, [p]),
    fxA.ref,
    fyA.ref,
  ];
  const twoArgs = (): [JArray, JArray, JArray, JArray, JArray][] => {
    const a = args();
    return [a, a.map((x) => x.ref) as typeof a];
  };
  const data = (gs: JArray[]) => gs.map((g) => g.dataSync()) as [ArrayLike<number>, ArrayLike<number>, ArrayLike<number>];
  const run = (fx: typeof gx, fy: typeof gy) => {
    const [a, b] = twoArgs();
    const rx = data(fx(...a) as unknown as JArray[]);
    const ry = data(fy(...b) as unknown as JArray[]);
    return assemble(p, inp.w, rx, ry, vals);
  };
  return {
    eager: {
      objective: () => objective(...args()).dataSync(),
      gradient: () => run(gx, gy),
    },
    jit: {
      objective: () => objJit(...args()).dataSync(),
      gradient: () => run(gxJit, gyJit),
    },
    dispose: () => {
      gxJit.dispose();
      gyJit.dispose();
      objJit.dispose();
      camIdx.dispose();
      ptIdx.dispose();
      fxA.dispose();
      fyA.dispose();
    },
  };
}
