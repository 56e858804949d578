// The bundle-adjustment residual of ADBench (microsoft/ADBench, src/cpp/shared/ba.h), in plain
// TypeScript. tsgrad differentiates it (`tsgrad compile examples/bundle-adjustment/model.ts`
// writes model.grad.ts); main.ts builds each observation's 2 x 15 Jacobian block from two
// reverse sweeps, reprojectionError_vjp_into with cotangents { x: 1, y: 0 } and { x: 0, y: 1 },
// reading the rows from the gradient's camera and point (grad.cam.rotation.x, ...).
//
// ADBench's camera is the 11 numbers [r0 r1 r2, C0 C1 C2, f, u0 v0, k1 k2]; here they are the
// fields of a Camera, in that order.

/** A point or a direction in space. */
export type Vec3 = { x: number; y: number; z: number };

/** A point of the image plane (pixels). */
export type Vec2 = { x: number; y: number };

/** A pinhole camera with radial distortion (ADBench's, and Bundle Adjustment in the Large's). */
export interface Camera {
  /** Angle-axis rotation from world to camera coordinates: axis times angle (radians). */
  rotation: Vec3;
  /** The centre of projection, in world coordinates. */
  centre: Vec3;
  /** Focal length (pixels). */
  focal: number;
  /** Principal point (pixels). */
  principal: Vec2;
  /** Radial distortion: the image point is scaled by 1 + k1 s + k2 s², s its squared distance from the axis. */
  distortion: [k1: number, k2: number];
}

function sub(a: Vec3, b: Vec3): Vec3 {
  return { x: a.x - b.x, y: a.y - b.y, z: a.z - b.z };
}

/** p rotated by the angle-axis vector r (Rodrigues' formula). */
function rodrigues(r: Vec3, p: Vec3): Vec3 {
  const theta2 = r.x * r.x + r.y * r.y + r.z * r.z;
  let q: Vec3;
  if (theta2 !== 0) {
    const theta = Math.sqrt(theta2);
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    // With the unit axis v: p cos θ + (v × p) sin θ + v (v · p)(1 - cos θ).
    const v = { x: r.x / theta, y: r.y / theta, z: r.z / theta };
    const along = (v.x * p.x + v.y * p.y + v.z * p.z) * (1 - cos);
    q = {
      x: p.x * cos + (v.y * p.z - v.z * p.y) * sin + v.x * along,
      y: p.y * cos + (v.z * p.x - v.x * p.z) * sin + v.y * along,
      z: p.z * cos + (v.x * p.y - v.y * p.x) * sin + v.z * along,
    };
  } else {
    // First order at r = 0: p + r × p.
    q = { x: p.x + (r.y * p.z - r.z * p.y), y: p.y + (r.z * p.x - r.x * p.z), z: p.z + (r.x * p.y - r.y * p.x) };
  }
  return q;
}

/**
 * The weighted reprojection error of the 3-D point `point` seen by camera `cam` at the image
 * point `feat`: w * (projection - feat). (ADBench's second residual per observation, 1 - w², does
 * not depend on the camera or the point.)
 */
export function reprojectionError(cam: Camera, point: Vec3, w: number, feat: Vec2): Vec2 {
  // The point in camera coordinates.
  const { x, y, z } = rodrigues(cam.rotation, sub(point, cam.centre));
  // Perspective division, radial distortion, focal length and principal point.
  const u = x / z;
  const v = y / z;
  const s = u * u + v * v;
  const [k1, k2] = cam.distortion;
  const distortion = 1 + k1 * s + k2 * s * s;
  const projX = cam.focal * distortion * u + cam.principal.x;
  const projY = cam.focal * distortion * v + cam.principal.y;
  return { x: w * (projX - feat.x), y: w * (projY - feat.y) };
}
