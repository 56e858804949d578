/**
 * A small synthetic bundle-adjustment problem around ADBench's camera: the camera of
 * data/ba1_n49_m7776_p31843.txt (pose, focal length, principal point, distortion) is the first
 * of `cameras` cameras orbiting a cloud of `points` points, every camera sees every point, and
 * the measured image points are the true projections plus Gaussian noise. The starting estimate
 * perturbs the true poses, intrinsics and points.
 *
 * (ADBench's own instances replicate one camera, one point and one feature n, m and p times, so
 * all their residuals are equal; a solve on them would not show much. Its camera model, in
 * model.ts, and its camera are used here unchanged.)
 */
import fs from "node:fs";
import { Random } from "../common/random.js";
import { type Camera, reprojectionError, type Vec2, type Vec3 } from "./model.js";

export interface Problem {
  cams: Camera[];
  points: Vec3[];
  /** Observation k: camera camOf[k] sees point pointOf[k] at feats[k]. */
  camOf: number[];
  pointOf: number[];
  feats: Vec2[];
}

/** ADBench's camera, 11 numbers [r0 r1 r2, C0 C1 C2, f, u0 v0, k1 k2], as a Camera. */
export function cameraFromAdbench(v: number[]): Camera {
  return {
    rotation: { x: v[0]!, y: v[1]!, z: v[2]! },
    centre: { x: v[3]!, y: v[4]!, z: v[5]! },
    focal: v[6]!,
    principal: { x: v[7]!, y: v[8]! },
    distortion: [v[9]!, v[10]!],
  };
}

/** Reads an ADBench BA file: n m p, one camera (11 numbers), one point, one weight, one feature. */
export function readAdbench(file: URL): { n: number; m: number; p: number; cam: Camera; point: Vec3; w: number; feat: Vec2 } {
  const v = fs.readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
  const cam = cameraFromAdbench(v.slice(3, 14));
  return { n: v[0]!, m: v[1]!, p: v[2]!, cam, point: { x: v[14]!, y: v[15]!, z: v[16]! }, w: v[17]!, feat: { x: v[18]!, y: v[19]! } };
}

type Mat3 = number[][];

/** The rotation matrix of the angle-axis vector r (Rodrigues' formula, as in model.ts). */
export function rotationMatrix(r: Vec3): Mat3 {
  const theta = Math.hypot(r.x, r.y, r.z);
  if (theta === 0) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const [a, b, c] = [r.x / theta, r.y / theta, r.z / theta];
  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  const t = 1 - cos;
  return [
    [cos + a * a * t, a * b * t - c * sin, a * c * t + b * sin],
    [a * b * t + c * sin, cos + b * b * t, b * c * t - a * sin],
    [a * c * t - b * sin, b * c * t + a * sin, cos + c * c * t],
  ];
}

/** The angle-axis vector of a rotation matrix (through its unit quaternion, stable at every angle). */
export function angleAxis(R: Mat3): Vec3 {
  const m = (i: number, j: number): number => R[i]![j]!;
  const trace = m(0, 0) + m(1, 1) + m(2, 2);
  let w: number;
  let x: number;
  let y: number;
  let z: number;
  if (trace > 0) {
    const s = 2 * Math.sqrt(1 + trace);
    w = s / 4;
    x = (m(2, 1) - m(1, 2)) / s;
    y = (m(0, 2) - m(2, 0)) / s;
    z = (m(1, 0) - m(0, 1)) / s;
  } else if (m(0, 0) > m(1, 1) && m(0, 0) > m(2, 2)) {
    const s = 2 * Math.sqrt(1 + m(0, 0) - m(1, 1) - m(2, 2));
    w = (m(2, 1) - m(1, 2)) / s;
    x = s / 4;
    y = (m(0, 1) + m(1, 0)) / s;
    z = (m(0, 2) + m(2, 0)) / s;
  } else if (m(1, 1) > m(2, 2)) {
    const s = 2 * Math.sqrt(1 + m(1, 1) - m(0, 0) - m(2, 2));
    w = (m(0, 2) - m(2, 0)) / s;
    x = (m(0, 1) + m(1, 0)) / s;
    y = s / 4;
    z = (m(1, 2) + m(2, 1)) / s;
  } else {
    const s = 2 * Math.sqrt(1 + m(2, 2) - m(0, 0) - m(1, 1));
    w = (m(1, 0) - m(0, 1)) / s;
    x = (m(0, 2) + m(2, 0)) / s;
    y = (m(1, 2) + m(2, 1)) / s;
    z = s / 4;
  }
  if (w < 0) [w, x, y, z] = [-w, -x, -y, -z];
  const sinHalf = Math.hypot(x, y, z);
  if (sinHalf === 0) return { x: 0, y: 0, z: 0 };
  const angle = 2 * Math.atan2(sinHalf, w);
  return { x: (angle * x) / sinHalf, y: (angle * y) / sinHalf, z: (angle * z) / sinHalf };
}

const mul = (A: Mat3, B: Mat3): Mat3 => A.map((row) => [0, 1, 2].map((j) => row[0]! * B[0]![j]! + row[1]! * B[1]![j]! + row[2]! * B[2]![j]!));
const transpose = (A: Mat3): Mat3 => [0, 1, 2].map((i) => [A[0]![i]!, A[1]![i]!, A[2]![i]!]);
const apply = (A: Mat3, v: Vec3): Vec3 => {
  const [x, y, z] = A.map((row) => row[0]! * v.x + row[1]! * v.y + row[2]! * v.z) as [number, number, number];
  return { x, y, z };
};
/** a + t b */
const along = (a: Vec3, t: number, b: Vec3): Vec3 => ({ x: a.x + t * b.x, y: a.y + t * b.y, z: a.z + t * b.z });
const rowVector = (row: number[]): Vec3 => ({ x: row[0]!, y: row[1]!, z: row[2]! });

export interface SceneOptions {
  cameras: number;
  points: number;
  /** Standard deviation of the image noise (pixels). */
  noise: number;
  seed: number;
}

export function makeScene(template: Camera, options: SceneOptions): { truth: Problem; start: Problem } {
  const random = new Random(options.seed);
  const R0 = rotationMatrix(template.rotation);
  const C0 = template.centre;
  // The camera looks along -z (the Bundle Adjustment in the Large convention ADBench's data
  // follows): the scene centre lies 70 units in front of it.
  const distance = 70;
  const center = along(C0, -distance, rowVector(R0[2]!));
  // The cameras orbit the centre about camera 0's y axis, 12 degrees apart.
  const orbitAxis = rowVector(R0[1]!);
  const cams: Camera[] = [];
  for (let k = 0; k < options.cameras; k++) {
    const angle = ((k - (options.cameras - 1) / 2) * 12 * Math.PI) / 180;
    const Q = rotationMatrix(along({ x: 0, y: 0, z: 0 }, angle, orbitAxis));
    const offset = apply(Q, along(C0, -1, center));
    const R = mul(R0, transpose(Q));
    cams.push({ ...template, rotation: angleAxis(R), centre: along(offset, 1, center), principal: { ...template.principal }, distortion: [...template.distortion] });
  }
  const points: Vec3[] = [];
  for (let j = 0; j < options.points; j++) {
    points.push({ x: center.x + random.uniform(-20, 20), y: center.y + random.uniform(-20, 20), z: center.z + random.uniform(-20, 20) });
  }
  const camOf: number[] = [];
  const pointOf: number[] = [];
  const feats: Vec2[] = [];
  for (let j = 0; j < options.points; j++) {
    for (let k = 0; k < options.cameras; k++) {
      const proj = reprojectionError(cams[k]!, points[j]!, 1, { x: 0, y: 0 });
      camOf.push(k);
      pointOf.push(j);
      feats.push({ x: proj.x + options.noise * random.normal(), y: proj.y + options.noise * random.normal() });
    }
  }
  const truth: Problem = { cams, points, camOf, pointOf, feats };
  // The starting estimate: rotations off by about 0.5 degree, centres and points by about
  // half a unit (the scene is 40 units across, 70 away), focal lengths by about 1 percent.
  const jitter = (v: Vec3, scale: number): Vec3 => ({ x: v.x + scale * random.normal(), y: v.y + scale * random.normal(), z: v.z + scale * random.normal() });
  const start: Problem = {
    cams: cams.map((c) => ({ ...c, rotation: jitter(c.rotation, 0.01), centre: jitter(c.centre, 0.5), focal: c.focal * (1 + 0.01 * random.normal()) })),
    points: points.map((X) => jitter(X, 0.5)),
    camOf,
    pointOf,
    feats,
  };
  return { truth, start };
}
