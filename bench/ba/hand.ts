/**
 * Hand-written sparse Jacobian of the BA residuals (the practical lower bound).
 *
 * Layout of `vals` (CSR values in ADBench's row order, see sparsity() for the pattern):
 *   observation i, row x: vals[30i .. 30i+14], row y: vals[30i+15 .. 30i+29], each
 *     [d/d r (3), d/d C (3), d/d f, d/d u0, d/d v0, d/d k1, d/d k2, d/d X (3), d/d w]
 *   weight term i: vals[30p + i] = -2 w_i
 *
 * One forward pass per observation, then a reverse pass through the projection shared by the
 * two rows up to (d u, d v) and the rotation, done for both rows.
 */

/** CSR row pointers and column indices of the 3p x (11n + 3m + p) Jacobian (same for every method). */
export function sparsity(n: number, m: number, p: number, obs: readonly number[]): { rows: Int32Array; cols: Int32Array } {
  const rows = new Int32Array(3 * p + 1);
  const cols = new Int32Array(31 * p);
  let k = 0;
  for (let i = 0; i < p; i++) {
    const c = obs[2 * i]!;
    const j = obs[2 * i + 1]!;
    for (let r = 0; r < 2; r++) {
      rows[2 * i + r] = k;
      for (let t = 0; t < 11; t++) cols[k++] = 11 * c + t;
      for (let t = 0; t < 3; t++) cols[k++] = 11 * n + 3 * j + t;
      cols[k++] = 11 * n + 3 * m + i;
    }
  }
  for (let i = 0; i < p; i++) {
    rows[2 * p + i] = k;
    cols[k++] = 11 * n + 3 * m + i;
  }
  rows[3 * p] = k;
  return { rows, cols };
}

export function ba_jacobian_hand(
  cams: Float64Array,
  X: Float64Array,
  w: Float64Array,
  obs: readonly number[],
  feats: Float64Array,
  vals: Float64Array,
): Float64Array {
  const p = w.length;
  for (let i = 0; i < p; i++) {
    const c = 11 * obs[2 * i]!;
    const j = 3 * obs[2 * i + 1]!;
    const wi = w[i]!;
    const p0 = X[j]! - cams[c + 3]!;
    const p1 = X[j + 1]! - cams[c + 4]!;
    const p2 = X[j + 2]! - cams[c + 5]!;
    const r0 = cams[c]!;
    const r1 = cams[c + 1]!;
    const r2 = cams[c + 2]!;
    const f = cams[c + 6]!;
    const k1 = cams[c + 9]!;
    const k2 = cams[c + 10]!;
    const sq = r0 * r0 + r1 * r1 + r2 * r2;
    let theta = 0;
    let ct = 1;
    let st = 0;
    let v0 = 0;
    let v1 = 0;
    let v2 = 0;
    let cr0 = 0;
    let cr1 = 0;
    let cr2 = 0;
    let dvp = 0;
    let x0: number;
    let x1: number;
    let x2: number;
    const rot = sq !== 0;
    if (rot) {
      theta = Math.sqrt(sq);
      ct = Math.cos(theta);
      st = Math.sin(theta);
      const ti = 1 / theta;
      v0 = r0 * ti;
      v1 = r1 * ti;
      v2 = r2 * ti;
      cr0 = v1 * p2 - v2 * p1;
      cr1 = v2 * p0 - v0 * p2;
      cr2 = v0 * p1 - v1 * p0;
      dvp = v0 * p0 + v1 * p1 + v2 * p2;
      const tmp = dvp * (1 - ct);
      x0 = p0 * ct + cr0 * st + v0 * tmp;
      x1 = p1 * ct + cr1 * st + v1 * tmp;
      x2 = p2 * ct + cr2 * st + v2 * tmp;
    } else {
      x0 = p0 + (r1 * p2 - r2 * p1);
      x1 = p1 + (r2 * p0 - r0 * p2);
      x2 = p2 + (r0 * p1 - r1 * p0);
    }
    const iz = 1 / x2;
    const u = x0 * iz;
    const v = x1 * iz;
    const rsq = u * u + v * v;
    const L = 1 + k1 * rsq + k2 * rsq * rsq;
    const dLdrsq = k1 + 2 * k2 * rsq;
    const projx = f * L * u + cams[c + 7]!;
    const projy = f * L * v + cams[c + 8]!;

    for (let row = 0; row < 2; row++) {
      const o = 30 * i + 15 * row;
      // seeds: d/d u, d/d v, d/d L of w * (f L (u or v) + (u0 or v0))
      const uv = row === 0 ? u : v;
      const dL = wi * f * uv;
      let du = row === 0 ? wi * f * L : 0;
      let dv = row === 0 ? 0 : wi * f * L;
      vals[o + 6] = wi * L * uv; // f
      vals[o + 7] = row === 0 ? wi : 0; // u0
      vals[o + 8] = row === 0 ? 0 : wi; // v0
      vals[o + 9] = dL * rsq; // k1
      vals[o + 10] = dL * rsq * rsq; // k2
      vals[o + 14] = row === 0 ? projx - feats[2 * i]! : projy - feats[2 * i + 1]!; // w
      const drsq = dL * dLdrsq;
      du += 2 * drsq * u;
      dv += 2 * drsq * v;
      const a0 = du * iz;
      const a1 = dv * iz;
      const a2 = -(du * u + dv * v) * iz;
      let dp0: number;
      let dp1: number;
      let dp2: number;
      let dr0: number;
      let dr1: number;
      let dr2: number;
      if (rot) {
        const ad = a0 * v0 + a1 * v1 + a2 * v2;
        const omc = 1 - ct;
        // a x v
        const axv0 = a1 * v2 - a2 * v1;
        const axv1 = a2 * v0 - a0 * v2;
        const axv2 = a0 * v1 - a1 * v0;
        dp0 = ct * a0 + st * axv0 + omc * ad * v0;
        dp1 = ct * a1 + st * axv1 + omc * ad * v1;
        dp2 = ct * a2 + st * axv2 + omc * ad * v2;
        const dct = a0 * p0 + a1 * p1 + a2 * p2 - dvp * ad;
        const dst = a0 * cr0 + a1 * cr1 + a2 * cr2;
        // d v = st (p x a) + dvp (1 - ct) a + ad (1 - ct) p
        const tmp = dvp * omc;
        const dv0 = st * (p1 * a2 - p2 * a1) + tmp * a0 + ad * omc * p0;
        const dv1 = st * (p2 * a0 - p0 * a2) + tmp * a1 + ad * omc * p1;
        const dv2 = st * (p0 * a1 - p1 * a0) + tmp * a2 + ad * omc * p2;
        const ti = 1 / theta;
        const dtheta = -st * dct + ct * dst - (dv0 * v0 + dv1 * v1 + dv2 * v2) * ti;
        dr0 = dv0 * ti + dtheta * v0;
        dr1 = dv1 * ti + dtheta * v1;
        dr2 = dv2 * ti + dtheta * v2;
      } else {
        dp0 = a0 + (a1 * r2 - a2 * r1);
        dp1 = a1 + (a2 * r0 - a0 * r2);
        dp2 = a2 + (a0 * r1 - a1 * r0);
        dr0 = p1 * a2 - p2 * a1;
        dr1 = p2 * a0 - p0 * a2;
        dr2 = p0 * a1 - p1 * a0;
      }
      vals[o] = dr0;
      vals[o + 1] = dr1;
      vals[o + 2] = dr2;
      vals[o + 3] = -dp0;
      vals[o + 4] = -dp1;
      vals[o + 5] = -dp2;
      vals[o + 11] = dp0;
      vals[o + 12] = dp1;
      vals[o + 13] = dp2;
    }
    vals[30 * p + i] = -2 * wi;
  }
  return vals;
}
