/**
 * GradBench's `ht` eval: the residuals of ADBench's hand tracking (`objective`) and their
 * Jacobian (`jacobian`), as GradBench's cpp/gradbench/evals/ht.hpp and tools/manual/ht.cpp lay
 * them out. An input with barycentric coordinates `us` is the complicated variant (residuals to
 * triangles' points), one without the simple variant (residuals to vertices).
 *
 * The Jacobian has 3 rows per correspondence and the columns [d/du0, d/du1 (complicated only),
 * d/dθ (26)]: since the residuals of correspondence i depend only on its own u_i, the two u
 * columns are compressed, each the tangent along the seed that sets u0 (or u1) of every
 * correspondence. The θ columns come two per forward sweep from tsgrad's vector mode,
 * `objective_jvp2` (`simpleObjective_jvp2`), each a unit tangent; the u columns from two forward
 * sweeps of `surfaceResiduals_jvp` (ht-surface.ts) at the posed mesh, through which alone the
 * residuals depend on u.
 */
import type { EvalFunction } from "../protocol.js";
import { type HandModel, objective, posedVertices, simpleObjective } from "../models/ht.js";
import { objective_jvp2, simpleObjective_jvp2 } from "../models/ht.grad.js";
import { surfaceResiduals_jvp } from "../models/ht-surface.grad.js";

/** The eval's input (GradBench's HTInput). */
interface HtInput {
  theta: number[];
  us: number[][];
  data: {
    model: {
      parents: number[];
      base_relatives: number[][][];
      inverse_base_absolutes: number[][][];
      base_positions: number[][];
      weights: number[][];
      triangles: number[][];
      is_mirrored: boolean;
    };
    correspondences: number[];
    points: number[][];
  };
}

/** The arguments of both functions: θ, the model, the observations, and for the complicated variant u (flat) with the seeds of its two columns. */
interface HtArgs {
  theta: Float64Array;
  model: HandModel;
  correspondences: Int32Array;
  /** x y z of each point. */
  points: Float64Array;
  /** u0 u1 of each correspondence, or empty (the simple variant). */
  us: Float64Array;
  /** Tangents of u setting every u0 (seeds[0]) or every u1 (seeds[1]). */
  seeds: [Float64Array, Float64Array];
}

function prepare(input: unknown): HtArgs {
  const { theta, us, data } = input as HtInput;
  const m = data.model;
  const model: HandModel = {
    parents: Int32Array.from(m.parents),
    // 4 x 4 matrices given as rows: row-major.
    baseRelatives: m.base_relatives.map((rows) => Float64Array.from(rows.flat())),
    inverseBaseAbsolutes: m.inverse_base_absolutes.map((rows) => Float64Array.from(rows.flat())),
    // Positions given homogeneous (x y z 1).
    basePositions: Float64Array.from(m.base_positions.flatMap((p) => p.slice(0, 3))),
    weights: Float64Array.from(m.weights.flat()),
    triangles: Int32Array.from(m.triangles.flat()),
    isMirrored: m.is_mirrored,
  };
  const flatUs = Float64Array.from(us.flat());
  const seeds: [Float64Array, Float64Array] = [new Float64Array(flatUs.length), new Float64Array(flatUs.length)];
  for (let i = 0; i < us.length; i++) {
    seeds[0][2 * i] = 1;
    seeds[1][2 * i + 1] = 1;
  }
  return { theta: Float64Array.from(theta), model, correspondences: Int32Array.from(data.correspondences), points: Float64Array.from(data.points.flat()), us: flatUs, seeds };
}

/** The residuals of the variant the input is. */
function residuals(a: HtArgs): Float64Array {
  return a.us.length === 0 ? simpleObjective(a.theta, a.model, a.correspondences, a.points) : objective(a.theta, a.us, a.model, a.correspondences, a.points);
}

/** The Jacobian by columns: in θ (26), and in u (two, complicated variant only). */
interface HtJacobian {
  theta: Float64Array[];
  u: Float64Array[];
}

/** Tangents of θ, a unit one per column, reused: two per forward sweep. */
type Sweep = (t0: { theta: Float64Array }, t1: { theta: Float64Array }) => { tangent_0: Float64Array; tangent_1: Float64Array };

/** The columns in θ, two per forward sweep of `sweep` (tsgrad's vector mode, `f_jvp2`). */
function thetaColumns(count: number, sweep: Sweep): Float64Array[] {
  const columns: Float64Array[] = [];
  const units = [new Float64Array(count), new Float64Array(count)] as const;
  for (let j = 0; j < count; j += 2) {
    const pair = j + 1 < count;
    units[0][j] = 1;
    if (pair) units[1][j + 1] = 1;
    const block = sweep({ theta: units[0] }, { theta: units[1] });
    columns.push(block.tangent_0);
    if (pair) columns.push(block.tangent_1);
    units[0][j] = 0;
    if (pair) units[1][j + 1] = 0;
  }
  return columns;
}

function jacobian(a: HtArgs): HtJacobian {
  const { theta, model, correspondences, points, us, seeds } = a;
  if (us.length === 0) return { theta: thetaColumns(theta.length, (t0, t1) => simpleObjective_jvp2(theta, model, correspondences, points, t0, t1)), u: [] };
  const inTheta = thetaColumns(theta.length, (t0, t1) => objective_jvp2(theta, us, model, correspondences, points, t0, t1));
  const posed = posedVertices(theta, model);
  const inU = seeds.map((seed) => surfaceResiduals_jvp(posed, us, model.triangles, correspondences, points, { us: seed }).tangent);
  return { theta: inTheta, u: inU };
}

export const ht: Record<string, EvalFunction> = {
  objective: { prepare, run: residuals, output: (r: Float64Array) => Array.from(r) } as EvalFunction,
  jacobian: {
    prepare,
    run: jacobian,
    // One row per residual: [d/du0, d/du1, d/dθ...] (without the u columns for the simple variant).
    output: (j: HtJacobian) => {
      const columns = [...j.u, ...j.theta];
      return Array.from({ length: columns[0]!.length }, (_, i) => columns.map((column) => column[i]!));
    },
  } as EvalFunction,
};
