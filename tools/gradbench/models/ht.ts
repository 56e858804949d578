// compile: tsgrad compile ht.ts --mode forward --fn objective,simpleObjective --wrt theta --jacobian
/**
 * GradBench's `ht` eval: ADBench's hand tracking. A hand mesh is posed by 26 parameters θ
 * (global rotation and translation, four angles per finger) through a skeleton of 22 bones and
 * linear blend skinning; the residuals are the distances, coordinate by coordinate, from
 * observed points to the posed mesh: to a vertex (`simpleObjective`), or to a point of a
 * triangle given by barycentric coordinates u (`objective`).
 *
 * tsgrad writes ht.grad.ts (forward mode, `--wrt theta`, `--jacobian`): `objective_jvp2` and
 * `simpleObjective_jvp2` give two columns of the Jacobian in θ per forward sweep. The
 * derivatives in u are those of `surfaceResiduals` (ht-surface.ts), through which alone the
 * residuals depend on u.
 */
import { surfaceResiduals } from "./ht-surface.js";

/**
 * A hand model: its skeleton at rest and its mesh. Matrices are 4 x 4, row-major (16 numbers);
 * the mesh is in flat buffers, as a renderer holds it.
 */
export interface HandModel {
  /** Each bone's parent (-1 for the root); a parent comes before its children. */
  parents: Int32Array;
  /** Each bone's rest transform relative to its parent. */
  baseRelatives: Float64Array[];
  /** The inverse of each bone's rest transform relative to the model. */
  inverseBaseAbsolutes: Float64Array[];
  /** The vertices at rest: x y z of each vertex. */
  basePositions: Float64Array;
  /** Skinning weights, a row of one weight per bone for each vertex: how much bone b moves vertex v is weights[v * bones + b] (a few bones per vertex). */
  weights: Float64Array;
  /** The mesh's triangles: an index buffer, three vertex indices per triangle. */
  triangles: Int32Array;
  /** Whether the model is a left hand (mirrored in x). */
  isMirrored: boolean;
}

/** Euler angles (x, z, y as ADBench reads them). */
export type Angles = [x: number, z: number, y: number];

/**
 * The Euler angles of a bone from θ: bones 1-4 are the thumb's (wrist to tip), 5-8 the index
 * finger's, ... 17-20 the little finger's; a finger's second bone turns by θ[6 + 4f] and
 * θ[7 + 4f], its third and fourth by θ[8 + 4f] and θ[9 + 4f]; the others do not turn.
 */
function jointAngles(theta: Float64Array, bone: number): Angles {
  if (bone < 1 || bone > 20) return [0, 0, 0];
  const finger = Math.floor((bone - 1) / 4);
  const joint = (bone - 1) % 4;
  const t = 6 + 4 * finger;
  if (joint === 1) return [theta[t], theta[t + 1], 0];
  if (joint === 2) return [theta[t + 2], 0, 0];
  if (joint === 3) return [theta[t + 3], 0, 0];
  return [0, 0, 0];
}

/** out = a b for 4 x 4 row-major matrices. */
function multiply(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      out[4 * i + j] = a[4 * i] * b[j] + a[4 * i + 1] * b[4 + j] + a[4 * i + 2] * b[8 + j] + a[4 * i + 3] * b[12 + j];
    }
  }
}

/**
 * out = base [R 0; 0 1] with R = Rz Ry Rx, the rotation of the Euler angles:
 * the bone's transform relative to its parent once posed.
 */
function posedRelative(out: Float64Array, base: Float64Array, [ax, az, ay]: Angles): void {
  const cx = Math.cos(ax);
  const sx = Math.sin(ax);
  const cz = Math.cos(az);
  const sz = Math.sin(az);
  const cy = Math.cos(ay);
  const sy = Math.sin(ay);
  const r = [cz * cy, cz * sy * sx - sz * cx, cz * sy * cx + sz * sx, sz * cy, sz * sy * sx + cz * cx, sz * sy * cx - cz * sx, -sy, cy * sx, cy * cx];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 3; j++) out[4 * i + j] = base[4 * i] * r[j] + base[4 * i + 1] * r[3 + j] + base[4 * i + 2] * r[6 + j];
    out[4 * i + 3] = base[4 * i + 3];
  }
}

/** The rotation matrix (row-major, 9 numbers) of the angle-axis vector (x, y, z): the identity for a very small angle. */
function angleAxisRotation(x: number, y: number, z: number): number[] {
  const angle = Math.sqrt(x * x + y * y + z * z);
  if (angle < 1e-4) return [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const [ux, uy, uz] = [x / angle, y / angle, z / angle];
  const s = Math.sin(angle);
  const c = Math.cos(angle);
  return [
    ux * ux + (1 - ux * ux) * c, ux * uy * (1 - c) - uz * s, ux * uz * (1 - c) + uy * s,
    ux * uy * (1 - c) + uz * s, uy * uy + (1 - uy * uy) * c, uy * uz * (1 - c) - ux * s,
    ux * uz * (1 - c) - uy * s, uz * uy * (1 - c) + ux * s, uz * uz + (1 - uz * uz) * c,
  ];
}

/** The mesh posed by θ: each vertex (x y z, in a flat array) skinned by its bones, then turned and moved by the global rotation and translation. */
export function posedVertices(theta: Float64Array, model: HandModel): Float64Array {
  const bones = model.parents.length;
  // Each bone's transform from rest to posed: its chain of posed relative transforms, times the inverse of its rest transform.
  const relatives = Array.from({ length: bones }, () => new Float64Array(16));
  const absolutes = Array.from({ length: bones }, () => new Float64Array(16));
  const transforms = Array.from({ length: bones }, () => new Float64Array(16));
  for (let b = 0; b < bones; b++) {
    posedRelative(relatives[b], model.baseRelatives[b], jointAngles(theta, b));
    const parent = model.parents[b];
    if (parent === -1) for (let k = 0; k < 16; k++) absolutes[b][k] = relatives[b][k];
    else multiply(absolutes[b], absolutes[parent], relatives[b]);
    multiply(transforms[b], absolutes[b], model.inverseBaseAbsolutes[b]);
  }
  const rotation = angleAxisRotation(theta[0], theta[1], theta[2]);
  const vertices = model.basePositions.length / 3;
  const posed = new Float64Array(3 * vertices);
  for (let v = 0; v < vertices; v++) {
    const x = model.basePositions[3 * v];
    const y = model.basePositions[3 * v + 1];
    const z = model.basePositions[3 * v + 2];
    // Linear blend skinning: the weighted sum of the vertex moved by each of its bones.
    let px = 0;
    let py = 0;
    let pz = 0;
    for (let b = 0; b < bones; b++) {
      const w = model.weights[v * bones + b];
      if (w === 0) continue;
      const t = transforms[b];
      px += w * (t[0] * x + t[1] * y + t[2] * z + t[3]);
      py += w * (t[4] * x + t[5] * y + t[6] * z + t[7]);
      pz += w * (t[8] * x + t[9] * y + t[10] * z + t[11]);
    }
    if (model.isMirrored) px = -px;
    posed[3 * v] = rotation[0] * px + rotation[1] * py + rotation[2] * pz + theta[3];
    posed[3 * v + 1] = rotation[3] * px + rotation[4] * py + rotation[5] * pz + theta[4];
    posed[3 * v + 2] = rotation[6] * px + rotation[7] * py + rotation[8] * pz + theta[5];
  }
  return posed;
}

/** Residuals to the vertices: point i (x y z of each in `points`) minus the posed vertex correspondences[i], x y z. */
export function simpleObjective(theta: Float64Array, model: HandModel, correspondences: Int32Array, points: Float64Array): Float64Array {
  const posed = posedVertices(theta, model);
  const err = new Float64Array(3 * correspondences.length);
  for (let i = 0; i < correspondences.length; i++) {
    const v = correspondences[i];
    for (let j = 0; j < 3; j++) err[3 * i + j] = points[3 * i + j] - posed[3 * v + j];
  }
  return err;
}

/**
 * Residuals to the surface: point i minus the point of triangle correspondences[i] with
 * barycentric coordinates (us[2i], us[2i + 1], 1 - both) on the posed mesh, x y z.
 */
export function objective(theta: Float64Array, us: Float64Array, model: HandModel, correspondences: Int32Array, points: Float64Array): Float64Array {
  return surfaceResiduals(posedVertices(theta, model), us, model.triangles, correspondences, points);
}
