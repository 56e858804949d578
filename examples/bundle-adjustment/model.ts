// The bundle-adjustment residual of ADBench (microsoft/ADBench, src/cpp/shared/ba.h), in plain
// TypeScript. tsgrad differentiates it (`tsgrad compile examples/bundle-adjustment/model.ts`
// writes model.grad.ts); main.ts builds each observation's 2 x 15 Jacobian block from two
// reverse sweeps, reprojectionError_vjp_into with cotangents (1, 0) and (0, 1).
//
// Camera parameters, as in ADBench: cam = [r0 r1 r2, C0 C1 C2, f, u0 v0, k1 k2]: an angle-axis
// rotation r, the camera centre C, the focal length f, the principal point (u0, v0) and the
// radial distortion coefficients k1, k2.

/**
 * The weighted reprojection error of the 3-D point X seen by camera `cam` at the image point
 * `feat`: w * (projection - feat). (ADBench's second residual per observation, 1 - w², does not
 * depend on the camera or the point.)
 */
export function reprojectionError(cam: number[], X: number[], w: number, feat: number[]): number[] {
  // The point relative to the camera centre.
  const px = X[0]! - cam[3]!;
  const py = X[1]! - cam[4]!;
  const pz = X[2]! - cam[5]!;

  // Rotate it by the angle-axis vector r (Rodrigues' formula).
  const r0 = cam[0]!;
  const r1 = cam[1]!;
  const r2 = cam[2]!;
  const theta2 = r0 * r0 + r1 * r1 + r2 * r2;
  let x = 0;
  let y = 0;
  let z = 0;
  if (theta2 !== 0) {
    const theta = Math.sqrt(theta2);
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    const v0 = r0 / theta;
    const v1 = r1 / theta;
    const v2 = r2 / theta;
    const along = (v0 * px + v1 * py + v2 * pz) * (1 - cos);
    x = px * cos + (v1 * pz - v2 * py) * sin + v0 * along;
    y = py * cos + (v2 * px - v0 * pz) * sin + v1 * along;
    z = pz * cos + (v0 * py - v1 * px) * sin + v2 * along;
  } else {
    // First order at r = 0: X + r x X.
    x = px + (r1 * pz - r2 * py);
    y = py + (r2 * px - r0 * pz);
    z = pz + (r0 * py - r1 * px);
  }

  // Perspective division, radial distortion, focal length and principal point.
  const u = x / z;
  const v = y / z;
  const s = u * u + v * v;
  const distortion = 1 + cam[9]! * s + cam[10]! * s * s;
  const projX = cam[6]! * distortion * u + cam[7]!;
  const projY = cam[6]! * distortion * v + cam[8]!;
  return [w * (projX - feat[0]!), w * (projY - feat[1]!)];
}
