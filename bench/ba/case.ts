/**
 * BA cases: ADBench ba1 (n=49, m=7776, p=31843) and ba4 (n=372, m=47423, p=204472).
 * The "gradient" of this workload is the sparse Jacobian's values (31p numbers, hand.ts layout);
 * its objective is the residual vector.
 */
import * as gen from "bench-tsgrad:ba";
import { readBa, type BaInput } from "../common/adbench.js";
import { initJax } from "../common/jax.js";
import { fdMethod, handMethod, peerMethod, tsgradMethod } from "../common/methods.js";
import { initTf } from "../common/tf.js";
import { generated } from "../common/tsgrad.js";
import type { BuildOptions, Case, ValueCheck } from "../common/types.js";
import { ba_jacobian_hand, sparsity } from "./hand.js";
import { ba_objective, ba_reproj } from "./objective.js";
import { jaxBa, tfBa } from "./peers.js";

interface VjpResult {
  value: ArrayLike<number>;
  grad: { cam: ArrayLike<number>; X: ArrayLike<number>; w: number };
}
type ReprojVjp = (cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number, cotangent: Float64Array) => VjpResult;
type WeightGrad = (w: number) => { value: number; grad: { w: number } };
interface BlockGrad {
  cam: Float64Array;
  X: Float64Array;
  w: number;
}
type ReprojVjpInto = (cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number, cotangent: Float64Array, grad: BlockGrad) => unknown;
type WeightGradInto = (w: number, grad: { w: number }) => number;
const reprojVjp = generated<ReprojVjp>(gen, "ba_reproj_vjp");
const weightGrad = generated<WeightGrad>(gen, "ba_weight_error_grad");
// The allocation-free entry points, which a user assembling a Jacobian in a loop would call.
const reprojVjpInto = generated<ReprojVjpInto>(gen, "ba_reproj_vjp_into");
const weightGradInto = generated<WeightGradInto>(gen, "ba_weight_error_grad_into");
// Vector mode (compiled --jacobian): both rows of a block from one forward and one reverse sweep.
type ReprojVjp2Into = (cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number, cotangent0: Float64Array, cotangent1: Float64Array, grad0: BlockGrad, grad1: BlockGrad) => unknown;
const reprojVjp2Into = generated<ReprojVjp2Into>(gen, "ba_reproj_vjp2_into");
// The rows in place (compiled --jacobian): the 2 x 15 block written straight into the values.
type ReprojJacobianInto = (cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number, jacobian: Float64Array, offset: number) => void;
const reprojJacobianInto = generated<ReprojJacobianInto>(gen, "ba_reproj_jacobian_into");

const flatVals = (r: unknown) => ({ value: NaN, grad: r as Float64Array });

/** Observation i's camera and point, copied into the buffers `ba_reproj` takes. */
function gather(inp: BaInput, i: number, cam: Float64Array, pt: Float64Array): void {
  const c = 11 * inp.obs[2 * i]!;
  const j = 3 * inp.obs[2 * i + 1]!;
  for (let t = 0; t < 11; t++) cam[t] = inp.cams[c + t]!;
  for (let t = 0; t < 3; t++) pt[t] = inp.X[j + t]!;
}

/** Row `row` (0: x, 1: y) of observation i's 2 x 15 block in `vals`, from that row's gradient. */
function putRow(vals: Float64Array, i: number, row: number, g: { cam: ArrayLike<number>; X: ArrayLike<number>; w: number }): void {
  const o = 30 * i + 15 * row;
  for (let t = 0; t < 11; t++) vals[o + t] = g.cam[t]!;
  for (let t = 0; t < 3; t++) vals[o + 11 + t] = g.X[t]!;
  vals[o + 14] = g.w;
}

const blockGrad = (): BlockGrad => ({ cam: new Float64Array(11), X: new Float64Array(3), w: 0 });

function clear(g: BlockGrad): void {
  g.cam.fill(0);
  g.X.fill(0);
  g.w = 0;
}

const EX = new Float64Array([1, 0]);
const EY = new Float64Array([0, 1]);

/**
 * The Jacobian from tsgrad's allocation-free reverse mode (`_vjp_into`, `_grad_into`): two
 * vector-Jacobian products (cotangents e_x, e_y) per observation, into one reused buffer.
 */
function tsgradJacobianInto(inp: BaInput, vals: Float64Array): Float64Array {
  const { w, feats, p } = inp;
  const cam = new Float64Array(11);
  const pt = new Float64Array(3);
  const g = blockGrad();
  const gw = { w: 0 };
  for (let i = 0; i < p; i++) {
    gather(inp, i, cam, pt);
    for (let row = 0; row < 2; row++) {
      clear(g);
      reprojVjpInto!(cam, pt, w[i]!, feats[2 * i]!, feats[2 * i + 1]!, row === 0 ? EX : EY, g);
      putRow(vals, i, row, g);
    }
    gw.w = 0;
    weightGradInto!(w[i]!, gw);
    vals[30 * p + i] = gw.w;
  }
  return vals;
}

/** The same with both rows of each block from one `_vjp2_into` (vector mode), as a user assembling a sparse Jacobian would call it. */
function tsgradJacobianVector(inp: BaInput, vals: Float64Array): Float64Array {
  const { w, feats, p } = inp;
  const cam = new Float64Array(11);
  const pt = new Float64Array(3);
  const g0 = blockGrad();
  const g1 = blockGrad();
  const gw = { w: 0 };
  for (let i = 0; i < p; i++) {
    gather(inp, i, cam, pt);
    clear(g0);
    clear(g1);
    reprojVjp2Into!(cam, pt, w[i]!, feats[2 * i]!, feats[2 * i + 1]!, EX, EY, g0, g1);
    putRow(vals, i, 0, g0);
    putRow(vals, i, 1, g1);
    gw.w = 0;
    weightGradInto!(w[i]!, gw);
    vals[30 * p + i] = gw.w;
  }
  return vals;
}

/**
 * Each camera as a view of the parameter array (`subarray`), made once per problem as a solver
 * keeping its cameras as Float64Arrays over one parameter vector would: the views see every
 * update of the array, and a Jacobian copies no camera per observation. (A view per point too
 * measured slower than copying the point's three numbers: ba4 has 47,423 points.)
 */
function cameraViews(inp: BaInput): Float64Array[] {
  return Array.from({ length: inp.n }, (_, c) => inp.cams.subarray(11 * c, 11 * c + 11));
}

/**
 * The Jacobian from `ba_reproj_jacobian_into` (one vector-mode sweep per observation writing its
 * 2 x 15 block in place: the hand-written layout is the function's, row-major from 30 i) and
 * `_grad_into` for the weight terms, over the cameras' views and a copy of each point.
 */
function tsgradJacobianRows(inp: BaInput, vals: Float64Array, cameras: Float64Array[]): Float64Array {
  const { X, w, feats, obs, p } = inp;
  const pt = new Float64Array(3);
  const gw = { w: 0 };
  for (let i = 0; i < p; i++) {
    const j = 3 * obs[2 * i + 1]!;
    pt[0] = X[j]!;
    pt[1] = X[j + 1]!;
    pt[2] = X[j + 2]!;
    reprojJacobianInto!(cameras[obs[2 * i]!]!, pt, w[i]!, feats[2 * i]!, feats[2 * i + 1]!, vals, 30 * i);
    gw.w = 0;
    weightGradInto!(w[i]!, gw);
    vals[30 * p + i] = gw.w;
  }
  return vals;
}

/** The same with the allocating entry points (`_vjp`, `_grad`). */
function tsgradJacobian(inp: BaInput, vals: Float64Array): Float64Array {
  const { w, feats, p } = inp;
  const cam = new Float64Array(11);
  const pt = new Float64Array(3);
  for (let i = 0; i < p; i++) {
    gather(inp, i, cam, pt);
    for (let row = 0; row < 2; row++) putRow(vals, i, row, reprojVjp!(cam, pt, w[i]!, feats[2 * i]!, feats[2 * i + 1]!, row === 0 ? EX : EY).grad);
    vals[30 * p + i] = weightGrad!(w[i]!).grad.w;
  }
  return vals;
}

/** Central differences of one observation's residual w.r.t. its 15 inputs. */
function fdJacobian(inp: BaInput, vals: Float64Array): Float64Array {
  const { w, feats, p } = inp;
  const cam = new Float64Array(11);
  const pt = new Float64Array(3);
  const h0 = Math.cbrt(Number.EPSILON);
  for (let i = 0; i < p; i++) {
    gather(inp, i, cam, pt);
    const f0 = feats[2 * i]!;
    const f1 = feats[2 * i + 1]!;
    let wi = w[i]!;
    for (let t = 0; t < 15; t++) {
      const arr = t < 11 ? cam : t < 14 ? pt : null;
      const at = t < 11 ? t : t - 11;
      const x = arr ? arr[at]! : wi;
      const h = h0 * Math.max(1, Math.abs(x));
      if (arr) arr[at] = x + h;
      else wi = x + h;
      const rp = ba_reproj(cam, pt, wi, f0, f1);
      if (arr) arr[at] = x - h;
      else wi = x - h;
      const rm = ba_reproj(cam, pt, wi, f0, f1);
      if (arr) arr[at] = x;
      else wi = x;
      vals[30 * i + t] = (rp[0]! - rm[0]!) / (2 * h);
      vals[30 * i + 15 + t] = (rp[1]! - rm[1]!) / (2 * h);
    }
    const h = h0 * Math.max(1, Math.abs(wi));
    vals[30 * p + i] = (1 - (wi + h) * (wi + h) - (1 - (wi - h) * (wi - h))) / (2 * h);
  }
  return vals;
}

/** ADBench's test.txt: residuals of the hand Jacobian's own forward pass vs objective.ts. */
function testFileChecks(): ValueCheck[] {
  const t = readBa("ba/test.txt");
  const r = ba_objective(t.cams, t.X, t.w, t.obs, t.feats);
  // Every observation replicates the same camera, point and feature: the residuals are equal.
  const one = ba_reproj(t.cams.subarray(0, 11), t.X.subarray(0, 3), t.w[0]!, t.feats[0]!, t.feats[1]!);
  return [
    { label: "ba_objective vs ba_reproj, x residual (test.txt)", actual: r[0]!, expected: one[0]!, tol: 1e-15 },
    { label: "ba_objective vs ba_reproj, y residual (test.txt)", actual: r[1]!, expected: one[1]!, tol: 1e-15 },
  ];
}

function buildCase(file: string, checks?: ValueCheck[]): Case {
  const inp = readBa(file);
  const { n, m, p, cams, X, w, obs, feats } = inp;
  const nparams = 11 * n + 3 * m + p;
  sparsity(n, m, p, obs); // the pattern is shared by all methods; computed once, not timed
  const objective = () => ba_objective(cams, X, w, obs, feats);
  // Every method writes into its own preallocated output, as ADBench's harness does.
  const handVals = new Float64Array(31 * p);
  const methods = [
    handMethod({
      objective,
      gradient: () => ba_jacobian_hand(cams, X, w, obs, feats, handVals),
      flatten: flatVals,
    }),
    ...tsgradMethod(reprojVjp !== undefined && weightGrad !== undefined, () => {
      const vals = new Float64Array(31 * p);
      if (reprojJacobianInto !== undefined && weightGradInto !== undefined) {
        const cameras = cameraViews(inp); // (once per problem, like the sparsity pattern: not timed)
        return { objective, gradient: () => tsgradJacobianRows(inp, vals, cameras), flatten: flatVals };
      }
      const into = reprojVjpInto !== undefined && weightGradInto !== undefined;
      const jacobian = into && reprojVjp2Into !== undefined ? tsgradJacobianVector : into ? tsgradJacobianInto : tsgradJacobian;
      return { objective, gradient: () => jacobian(inp, vals), flatten: flatVals };
    }),
    fdMethod(15, 15, () => {
      const vals = new Float64Array(31 * p);
      return { objective, gradient: () => fdJacobian(inp, vals), flatten: flatVals };
    }),
    peerMethod("tfjs", 2e-2, async () => {
      await initTf();
      return { ...tfBa(inp), flatten: flatVals };
    }),
    peerMethod("jax", 1e-4, async () => {
      await initJax();
      const j = jaxBa(inp);
      return { ...j.eager, dispose: j.dispose, flatten: flatVals };
    }),
    peerMethod("jax-jit", 1e-4, async () => {
      await initJax();
      const j = jaxBa(inp);
      return { ...j.jit, dispose: j.dispose, flatten: flatVals };
    }),
  ];
  const size = `n=${n} m=${m} p=${p}`;
  return { workload: "ba", size, nparams, methods, checks };
}

export async function* baCases(o: BuildOptions): AsyncGenerator<Case> {
  yield buildCase("ba/ba1_n49_m7776_p31843.txt", testFileChecks());
  if (!o.quick) yield buildCase("ba/ba4_n372_m47423_p204472.txt");
}
