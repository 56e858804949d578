// compile: tsgrad compile ba.ts --mode reverse --fn reprojectionError,weightError --wrt cam,point,w --jacobian
/**
 * GradBench's `ba` eval: ADBench's bundle adjustment. Each observation sees a point through a
 * camera; its residual is the weighted distance between the point's projection and the image
 * feature, w (projection - feature), and each weight has a residual of its own, 1 - w².
 *
 * The camera is ADBench's 11 numbers [r0 r1 r2, C0 C1 C2, f, u0 v0, k1 k2] as the fields of a
 * Camera, in that order: the Jacobian's columns for a camera are its leaves in declaration order.
 * tsgrad writes ba.grad.ts (reverse mode, `--jacobian`): `reprojectionError_vjp2_into`, whose
 * one forward and one reverse sweep with the cotangents (1, 0) and (0, 1) give both rows of an
 * observation's 2 x 15 Jacobian block (camera 11, point 3, weight 1), and `weightError_grad_into`.
 */

/** A point or a direction in space. */
export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** A point of the image plane (pixels). */
export interface Vec2 {
  x: number;
  y: number;
}

/** A pinhole camera with radial distortion. */
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

/**
 * The observations, one entry per observation in each array: observation i sees point
 * `point[i]` through camera `camera[i]` at the image point (`feature[2i]`, `feature[2i + 1]`).
 * (Typed arrays rather than an object per observation: a problem has a million of them.)
 */
export interface Observations {
  camera: Int32Array;
  point: Int32Array;
  feature: Float64Array;
}

/** A bundle-adjustment problem: the unknowns (cameras, points, one weight per observation) and the observations. */
export interface Scene {
  cameras: Camera[];
  points: Vec3[];
  weights: Float64Array;
  observations: Observations;
}

function dot(a: Vec3, b: Vec3): number {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

function cross(a: Vec3, b: Vec3): Vec3 {
  return { x: a.y * b.z - a.z * b.y, y: a.z * b.x - a.x * b.z, z: a.x * b.y - a.y * b.x };
}

/** p rotated by the angle-axis vector r (Rodrigues' formula; to first order, p + r × p, at r = 0). */
function rotate(r: Vec3, p: Vec3): Vec3 {
  const theta2 = dot(r, r);
  if (theta2 === 0) {
    const rp = cross(r, p);
    return { x: p.x + rp.x, y: p.y + rp.y, z: p.z + rp.z };
  }
  const theta = Math.sqrt(theta2);
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  // With the unit axis v: p cos θ + (v × p) sin θ + v (v · p)(1 - cos θ).
  const v = { x: r.x / theta, y: r.y / theta, z: r.z / theta };
  const vp = cross(v, p);
  const along = dot(v, p) * (1 - cos);
  return {
    x: p.x * cos + vp.x * sin + v.x * along,
    y: p.y * cos + vp.y * sin + v.y * along,
    z: p.z * cos + vp.z * sin + v.z * along,
  };
}

/** Where camera `cam` sees the point X: rotated into camera coordinates, divided by depth, distorted, scaled and shifted. */
function project(cam: Camera, X: Vec3): Vec2 {
  const q = rotate(cam.rotation, { x: X.x - cam.centre.x, y: X.y - cam.centre.y, z: X.z - cam.centre.z });
  const u = q.x / q.z;
  const v = q.y / q.z;
  const s = u * u + v * v;
  const distortion = 1 + cam.distortion[0] * s + cam.distortion[1] * s * s;
  return { x: u * distortion * cam.focal + cam.principal.x, y: v * distortion * cam.focal + cam.principal.y };
}

/** The weighted reprojection error of one observation: w (projection of `point` by `cam` - feature). */
export function reprojectionError(cam: Camera, point: Vec3, w: number, feature: Vec2): Vec2 {
  const proj = project(cam, point);
  return { x: w * (proj.x - feature.x), y: w * (proj.y - feature.y) };
}

/** The residual of a weight: how far it is from 1 (Zach's robust weighting). */
export function weightError(w: number): number {
  return 1 - w * w;
}

/** The residuals of a scene: each observation's reprojection error (x then y) into `reprojection`, each weight's into `weight`. */
export function objective(scene: Scene, reprojection: Float64Array, weight: Float64Array): void {
  const { cameras, points, weights, observations } = scene;
  const { camera, point, feature } = observations;
  for (let i = 0; i < weights.length; i++) {
    const e = reprojectionError(cameras[camera[i]], points[point[i]], weights[i], { x: feature[2 * i], y: feature[2 * i + 1] });
    reprojection[2 * i] = e.x;
    reprojection[2 * i + 1] = e.y;
    weight[i] = weightError(weights[i]);
  }
}
