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
import { reprojectionError } from "./model.js";

export interface Problem {
  cams: number[][];
  points: number[][];
  /** Observation k: camera camOf[k] sees point pointOf[k] at feats[k]. */
  camOf: number[];
  pointOf: number[];
  feats: number[][];
}

/** Reads an ADBench BA file: n m p, one camera (11 numbers), one point, one weight, one feature. */
export function readAdbench(file: URL): { n: number; m: number; p: number; cam: number[]; X: number[]; w: number; feat: number[] } {
  const v = fs.readFileSync(file, "utf8").trim().split(/\s+/).map(Number);
  return { n: v[0]!, m: v[1]!, p: v[2]!, cam: v.slice(3, 14), X: v.slice(14, 17), w: v[17]!, feat: v.slice(18, 20) };
}

type Mat3 = number[][];

/** The rotation matrix of the angle-axis vector r (Rodrigues' formula, as in model.ts). */
export function rotationMatrix(r: number[]): Mat3 {
  const theta = Math.hypot(r[0]!, r[1]!, r[2]!);
  if (theta === 0) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const [a, b, c] = r.map((x) => x / theta) as [number, number, number];
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
export function angleAxis(R: Mat3): number[] {
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
  if (sinHalf === 0) return [0, 0, 0];
  const angle = 2 * Math.atan2(sinHalf, w);
  return [(angle * x) / sinHalf, (angle * y) / sinHalf, (angle * z) / sinHalf];
}

const mul = (A: Mat3, B: Mat3): Mat3 => A.map((row) => [0, 1, 2].map((j) => row[0]! * B[0]![j]! + row[1]! * B[1]![j]! + row[2]! * B[2]![j]!));
const transpose = (A: Mat3): Mat3 => [0, 1, 2].map((i) => [A[0]![i]!, A[1]![i]!, A[2]![i]!]);
const apply = (A: Mat3, v: number[]): number[] => A.map((row) => row[0]! * v[0]! + row[1]! * v[1]! + row[2]! * v[2]!);

export interface SceneOptions {
  cameras: number;
  points: number;
  /** Standard deviation of the image noise (pixels). */
  noise: number;
  seed: number;
}

export function makeScene(template: number[], options: SceneOptions): { truth: Problem; start: Problem } {
  const random = new Random(options.seed);
  const R0 = rotationMatrix(template.slice(0, 3));
  const C0 = template.slice(3, 6);
  // The camera looks along -z (the Bundle Adjustment in the Large convention ADBench's data
  // follows): the scene centre lies 70 units in front of it.
  const distance = 70;
  const center = C0.map((c, i) => c - distance * R0[2]![i]!);
  // The cameras orbit the centre about camera 0's y axis, 12 degrees apart.
  const orbitAxis = R0[1]!;
  const cams: number[][] = [];
  for (let k = 0; k < options.cameras; k++) {
    const angle = ((k - (options.cameras - 1) / 2) * 12 * Math.PI) / 180;
    const Q = rotationMatrix(orbitAxis.map((a) => a * angle));
    const offset = apply(Q, C0.map((c, i) => c - center[i]!));
    const R = mul(R0, transpose(Q));
    cams.push([...angleAxis(R), ...offset.map((o, i) => o + center[i]!), ...template.slice(6)]);
  }
  const points: number[][] = [];
  for (let j = 0; j < options.points; j++) points.push(center.map((c) => c + random.uniform(-20, 20)));
  const camOf: number[] = [];
  const pointOf: number[] = [];
  const feats: number[][] = [];
  for (let j = 0; j < options.points; j++) {
    for (let k = 0; k < options.cameras; k++) {
      const proj = reprojectionError(cams[k]!, points[j]!, 1, [0, 0]);
      camOf.push(k);
      pointOf.push(j);
      feats.push([proj[0]! + options.noise * random.normal(), proj[1]! + options.noise * random.normal()]);
    }
  }
  const truth: Problem = { cams, points, camOf, pointOf, feats };
  // The starting estimate: rotations off by about 0.5 degree, centres and points by about
  // half a unit (the scene is 40 units across, 70 away), focal lengths by about 1 percent.
  const start: Problem = {
    cams: cams.map((c) => c.map((value, i) => (i < 3 ? value + 0.01 * random.normal() : i < 6 ? value + 0.5 * random.normal() : i === 6 ? value * (1 + 0.01 * random.normal()) : value))),
    points: points.map((X) => X.map((value) => value + 0.5 * random.normal())),
    camOf,
    pointOf,
    feats,
  };
  return { truth, start };
}
