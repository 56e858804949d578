/**
 * GradBench's `ba` eval: the residuals of a bundle-adjustment problem (`objective`) and their
 * sparse Jacobian (`jacobian`), as ADBench's C++ (GradBench's cpp/gradbench/evals/ba.hpp and
 * tools/manual/ba.cpp) lays them out.
 *
 * The input is one camera, one point, one weight and one feature, duplicated into n cameras, m
 * points and p observations (observation i sees point i mod m by camera i mod n); every copy is
 * computed with, none skipped. The Jacobian is in compressed rows: each observation's two
 * reprojection rows hold 15 entries (its camera's 11 columns, its point's 3, its weight's), then
 * each weight's row its one entry; the output keeps the first 30 and the last element of the row
 * offsets, the column indices and the values. Each observation's 2 x 15 block is written in place
 * by tsgrad's `reprojectionError_jacobian_into` (one forward and one reverse sweep for both rows,
 * row-major: the camera's 11 leaves, the point's 3, the weight, as the matrix lays them out); each
 * weight's entry is `weightError_grad_into`.
 */
import type { EvalFunction } from "../protocol.js";
import { type Camera, objective, type Scene, type Vec3 } from "../models/ba.js";
import { reprojectionError_jacobian_into, weightError_grad_into } from "../models/ba.grad.js";

/** The eval's input: the sizes and the one camera, point, weight and feature to duplicate. */
interface BaInput {
  n: number;
  m: number;
  p: number;
  cam: number[];
  x: number[];
  w: number;
  feat: number[];
}

/** The Jacobian in compressed rows: row r's entries are `cols`/`vals` from `rows[r]` to `rows[r + 1]`. */
interface SparseMatrix {
  rows: Int32Array;
  cols: Int32Array;
  vals: Float64Array;
}

/** The camera of ADBench's 11 numbers [r0 r1 r2, C0 C1 C2, f, u0 v0, k1 k2]. */
function camera(c: number[]): Camera {
  return {
    rotation: { x: c[0]!, y: c[1]!, z: c[2]! },
    centre: { x: c[3]!, y: c[4]!, z: c[5]! },
    focal: c[6]!,
    principal: { x: c[7]!, y: c[8]! },
    distortion: [c[9]!, c[10]!],
  };
}

/** The scene the input describes, each camera, point and observation an object of its own. */
function scene(input: BaInput): Scene {
  const { n, m, p, cam, x, w, feat } = input;
  const cameras = Array.from({ length: n }, () => camera(cam));
  const points = Array.from({ length: m }, (): Vec3 => ({ x: x[0]!, y: x[1]!, z: x[2]! }));
  const observations = { camera: new Int32Array(p), point: new Int32Array(p), feature: new Float64Array(2 * p) };
  for (let i = 0; i < p; i++) {
    observations.camera[i] = i % n;
    observations.point[i] = i % m;
    observations.feature[2 * i] = feat[0]!;
    observations.feature[2 * i + 1] = feat[1]!;
  }
  return { cameras, points, weights: new Float64Array(p).fill(w), observations };
}

/** The objective's arguments: the scene and its residuals' buffers (reused by every run). */
interface ObjectiveArgs {
  scene: Scene;
  reprojection: Float64Array;
  weight: Float64Array;
}

/** The Jacobian's arguments: the scene and the matrix's buffers (reused by every run). */
interface JacobianArgs {
  scene: Scene;
  matrix: SparseMatrix;
}

/** The column indices of one row of an observation's block from entry k: the camera's 11 from `camera`, the point's 3 from `point`, the weight's. Returns the next entry. */
function putColumns(cols: Int32Array, k: number, camera: number, point: number, weight: number): number {
  for (let c = 0; c < 11; c++) cols[k + c] = camera + c;
  for (let c = 0; c < 3; c++) cols[k + 11 + c] = point + c;
  cols[k + 14] = weight;
  return k + 15;
}

/**
 * The sparse Jacobian of the scene's residuals into `matrix` (rows: 2 per observation, then 1 per
 * weight; columns: 11 per camera, 3 per point, 1 per weight). Each observation's two rows are
 * written into the values by one call of `reprojectionError_jacobian_into` (tsgrad's vector mode,
 * both rows in one sweep, in the matrix's order of columns).
 */
function jacobian(scene: Scene, matrix: SparseMatrix): SparseMatrix {
  const { cameras, points, weights, observations } = scene;
  const { camera, point, feature } = observations;
  const { rows, cols, vals } = matrix;
  const pointColumns = 11 * cameras.length;
  const weightColumns = pointColumns + 3 * points.length;
  const p = weights.length;
  const weightGrad = { w: 0 };
  const feat = { x: 0, y: 0 };
  let k = 0;
  rows[0] = 0;
  for (let i = 0; i < p; i++) {
    const c = camera[i]!;
    const j = point[i]!;
    feat.x = feature[2 * i]!;
    feat.y = feature[2 * i + 1]!;
    reprojectionError_jacobian_into(cameras[c]!, points[j]!, weights[i]!, feat, vals, k);
    k = putColumns(cols, k, 11 * c, pointColumns + 3 * j, weightColumns + i);
    rows[2 * i + 1] = k;
    k = putColumns(cols, k, 11 * c, pointColumns + 3 * j, weightColumns + i);
    rows[2 * i + 2] = k;
  }
  for (let i = 0; i < p; i++) {
    weightGrad.w = 0;
    weightError_grad_into(weights[i]!, weightGrad);
    cols[k] = weightColumns + i;
    vals[k++] = weightGrad.w;
    rows[2 * p + i + 1] = k;
  }
  return matrix;
}

/**
 * A new output buffer, written once so that its memory is mapped before the timed runs (at ba14
 * the Jacobian's buffers are 470 MB: the first run would otherwise spend seconds in page faults
 * that the later ones, reusing the buffers, do not).
 */
function touched<T extends Int32Array | Float64Array>(buffer: T): T {
  buffer.fill(0);
  return buffer;
}

/** The first 30 elements and the last: what the eval compares of each list. */
const firstAndLast = (a: Int32Array | Float64Array): number[] => [...Array.from(a.subarray(0, 30)), a[a.length - 1]!];

export const ba: Record<string, EvalFunction> = {
  objective: {
    prepare: (input: unknown): ObjectiveArgs => {
      const s = scene(input as BaInput);
      return { scene: s, reprojection: touched(new Float64Array(2 * s.weights.length)), weight: touched(new Float64Array(s.weights.length)) };
    },
    run: (a: ObjectiveArgs) => {
      objective(a.scene, a.reprojection, a.weight);
      return a;
    },
    output: (a: ObjectiveArgs) => ({
      reproj_error: { elements: [a.reprojection[0], a.reprojection[1]], repeated: a.reprojection.length / 2 },
      w_err: { element: a.weight[0], repeated: a.weight.length },
    }),
  } as EvalFunction,
  jacobian: {
    prepare: (input: unknown): JacobianArgs => {
      const s = scene(input as BaInput);
      const p = s.weights.length;
      return { scene: s, matrix: { rows: touched(new Int32Array(3 * p + 1)), cols: touched(new Int32Array(31 * p)), vals: touched(new Float64Array(31 * p)) } };
    },
    run: (a: JacobianArgs) => jacobian(a.scene, a.matrix),
    output: (j: SparseMatrix) => ({ rows: firstAndLast(j.rows), cols: firstAndLast(j.cols), vals: firstAndLast(j.vals) }),
  } as EvalFunction,
};
