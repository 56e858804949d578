/**
 * ADBench bundle adjustment: reprojection residuals of p observations of m points by n cameras.
 *
 * Plain TypeScript as a user would write it; tsgrad compiles it to objective.grad.ts.
 *
 * Camera layout (11 numbers): rotation r (angle-axis, 3), centre C (3), focal length f,
 * principal point (u0, v0), radial distortion (k1, k2).
 *
 * `ba_objective` computes the whole residual vector (ADBench's "F"). The sparse Jacobian is
 * assembled from the derivatives of one observation's residual, `ba_reproj` (a 2 x 15 block:
 * 11 camera, 3 point and 1 weight columns), and of the weight term `ba_weight_error`.
 */

/** Residual of one observation: w * (projection of X by cam - feature), a 2-vector. */
export function ba_reproj(cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number): Float64Array {
  // X relative to the camera centre
  const p0 = X[0] - cam[3];
  const p1 = X[1] - cam[4];
  const p2 = X[2] - cam[5];
  // Rodrigues rotation by the angle-axis vector r
  const r0 = cam[0];
  const r1 = cam[1];
  const r2 = cam[2];
  const sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
  let x0 = 0;
  let x1 = 0;
  let x2 = 0;
  if (sqtheta !== 0) {
    const theta = Math.sqrt(sqtheta);
    const costheta = Math.cos(theta);
    const sintheta = Math.sin(theta);
    const thetaInverse = 1 / theta;
    const w0 = r0 * thetaInverse;
    const w1 = r1 * thetaInverse;
    const w2 = r2 * thetaInverse;
    const cross0 = w1 * p2 - w2 * p1;
    const cross1 = w2 * p0 - w0 * p2;
    const cross2 = w0 * p1 - w1 * p0;
    const tmp = (w0 * p0 + w1 * p1 + w2 * p2) * (1 - costheta);
    x0 = p0 * costheta + cross0 * sintheta + w0 * tmp;
    x1 = p1 * costheta + cross1 * sintheta + w1 * tmp;
    x2 = p2 * costheta + cross2 * sintheta + w2 * tmp;
  } else {
    x0 = p0 + (r1 * p2 - r2 * p1);
    x1 = p1 + (r2 * p0 - r0 * p2);
    x2 = p2 + (r0 * p1 - r1 * p0);
  }
  // perspective division and radial distortion
  const u = x0 / x2;
  const v = x1 / x2;
  const rsq = u * u + v * v;
  const distortion = 1 + cam[9] * rsq + cam[10] * rsq * rsq;
  const err = new Float64Array(2);
  err[0] = w * (cam[6] * distortion * u + cam[7] - feat0);
  err[1] = w * (cam[6] * distortion * v + cam[8] - feat1);
  return err;
}

/** Weight term of one observation. */
export function ba_weight_error(w: number): number {
  return 1 - w * w;
}

/**
 * All residuals: [reprojection error x, y of each observation (2p) | weight errors (p)].
 * obs[2i], obs[2i + 1] are the camera and point of observation i; feats[2i..2i+1] its feature.
 * (The loop body repeats ba_reproj with offsets, as a user avoiding per-observation copies would.)
 */
export function ba_objective(
  cams: Float64Array,
  X: Float64Array,
  w: Float64Array,
  obs: readonly number[],
  feats: Float64Array,
): Float64Array {
  const p = w.length;
  const out = new Float64Array(3 * p);
  for (let i = 0; i < p; i++) {
    const c = 11 * obs[2 * i];
    const j = 3 * obs[2 * i + 1];
    const p0 = X[j] - cams[c + 3];
    const p1 = X[j + 1] - cams[c + 4];
    const p2 = X[j + 2] - cams[c + 5];
    const r0 = cams[c];
    const r1 = cams[c + 1];
    const r2 = cams[c + 2];
    const sqtheta = r0 * r0 + r1 * r1 + r2 * r2;
    let x0 = 0;
    let x1 = 0;
    let x2 = 0;
    if (sqtheta !== 0) {
      const theta = Math.sqrt(sqtheta);
      const costheta = Math.cos(theta);
      const sintheta = Math.sin(theta);
      const thetaInverse = 1 / theta;
      const w0 = r0 * thetaInverse;
      const w1 = r1 * thetaInverse;
      const w2 = r2 * thetaInverse;
      const cross0 = w1 * p2 - w2 * p1;
      const cross1 = w2 * p0 - w0 * p2;
      const cross2 = w0 * p1 - w1 * p0;
      const tmp = (w0 * p0 + w1 * p1 + w2 * p2) * (1 - costheta);
      x0 = p0 * costheta + cross0 * sintheta + w0 * tmp;
      x1 = p1 * costheta + cross1 * sintheta + w1 * tmp;
      x2 = p2 * costheta + cross2 * sintheta + w2 * tmp;
    } else {
      x0 = p0 + (r1 * p2 - r2 * p1);
      x1 = p1 + (r2 * p0 - r0 * p2);
      x2 = p2 + (r0 * p1 - r1 * p0);
    }
    const u = x0 / x2;
    const v = x1 / x2;
    const rsq = u * u + v * v;
    const distortion = 1 + cams[c + 9] * rsq + cams[c + 10] * rsq * rsq;
    out[2 * i] = w[i] * (cams[c + 6] * distortion * u + cams[c + 7] - feats[2 * i]);
    out[2 * i + 1] = w[i] * (cams[c + 6] * distortion * v + cams[c + 8] - feats[2 * i + 1]);
    out[2 * p + i] = 1 - w[i] * w[i];
  }
  return out;
}
