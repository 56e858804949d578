/**
 * Vector-mode f_jacobian against the way f_jacobian worked before it (issue 13), on the
 * examples' models: bundle adjustment's residual (a 2 x 17 block per observation, of which
 * ADBench's Jacobian keeps the 2 x 15 for the camera, the point and the weight) over the
 * observations of ADBench's ba1 (n=49, m=7776, p=31843), and the robot arm's tip (3 x 3) over
 * 50,000 random poses.
 *
 * By rows (the modules compiled with both modes): the new f_jacobian makes one forward sweep and
 * one reverse sweep carrying a cotangent per row (`f_vjp2_into`); the old one, copied here from
 * what tsgrad generated before, made one `f_vjp_into` per row with a unit cotangent, each redoing
 * the forward sweep. By columns (`--mode forward`): the new one makes one forward sweep carrying
 * up to eight directions (`f_jvp8`, three of them for BA's 17 columns); the old one one `f_jvp`
 * per column with a unit tangent.
 *
 * The last two rows compare the blocks assembled into owned buffers with `f_jacobian_into`,
 * which writes both rows in place (for the example's objects, and for bench/ba's Float64Arrays).
 *
 * Each round times one pass over all inputs with each method, the two in turns (which goes
 * first alternates); the table gives the median time per Jacobian and the median and quartiles
 * of old / new over the rounds. Run with `node bench/jacobian.mjs [--rounds N] [--only TEXT]` (the cases whose label contains TEXT).
 */
import * as ba from "../.build/jacobian/ba.grad.ts";
import * as baForward from "../.build/jacobian/ba-forward.grad.ts";
import * as arm from "../.build/jacobian/arm.grad.ts";
import * as armForward from "../.build/jacobian/arm-forward.grad.ts";
import * as baArrays from "../.build/jacobian/ba-arrays.grad.ts";
import { readBa } from "../common/adbench.js";
import type { Camera, Vec2, Vec3 } from "../../examples/bundle-adjustment/model.js";
import type { Joints } from "../../examples/robot-arm/model.js";

type Jacobian = { value: unknown; jacobian: Record<string, number[][]> };
type BaGrad = { cam: Camera; point: Vec3; w: number; feat: Vec2 };

// ------------------------------------------------------------ the old f_jacobian, by hand

/** Bundle adjustment by rows, as tsgrad generated it before vector mode: two reverse sweeps. */
function baJacobianByVjps(cam: Camera, point: Vec3, w: number, feat: Vec2): Jacobian {
  const jacobian: { cam: number[][]; point: number[][]; w: number[][]; feat: number[][] } = { cam: [], point: [], w: [], feat: [] };
  let value: Vec2 | undefined;
  {
    const grad: BaGrad = { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] }, point: { x: 0, y: 0, z: 0 }, w: 0, feat: { x: 0, y: 0 } };
    value = ba.reprojectionError_vjp_into(cam, point, w, feat, { x: 1, y: 0 }, grad);
    jacobian.cam.push([grad.cam.rotation.x, grad.cam.rotation.y, grad.cam.rotation.z, grad.cam.centre.x, grad.cam.centre.y, grad.cam.centre.z, grad.cam.focal, grad.cam.principal.x, grad.cam.principal.y, grad.cam.distortion[0], grad.cam.distortion[1]]);
    jacobian.point.push([grad.point.x, grad.point.y, grad.point.z]);
    jacobian.w.push([grad.w]);
    jacobian.feat.push([grad.feat.x, grad.feat.y]);
  }
  {
    const grad: BaGrad = { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] }, point: { x: 0, y: 0, z: 0 }, w: 0, feat: { x: 0, y: 0 } };
    value = ba.reprojectionError_vjp_into(cam, point, w, feat, { x: 0, y: 1 }, grad);
    jacobian.cam.push([grad.cam.rotation.x, grad.cam.rotation.y, grad.cam.rotation.z, grad.cam.centre.x, grad.cam.centre.y, grad.cam.centre.z, grad.cam.focal, grad.cam.principal.x, grad.cam.principal.y, grad.cam.distortion[0], grad.cam.distortion[1]]);
    jacobian.point.push([grad.point.x, grad.point.y, grad.point.z]);
    jacobian.w.push([grad.w]);
    jacobian.feat.push([grad.feat.x, grad.feat.y]);
  }
  return { value: value!, jacobian };
}

/** The robot arm by rows, as generated before: three reverse sweeps. */
function armJacobianByVjps(joints: Joints): Jacobian {
  const jacobian: { joints: number[][] } = { joints: [] };
  let value: unknown;
  for (const cotangent of [{ x: 1, y: 0, z: 0 }, { x: 0, y: 1, z: 0 }, { x: 0, y: 0, z: 1 }]) {
    const grad: { joints: Joints } = { joints: [0, 0, 0] };
    value = arm.tip_vjp_into(joints, cotangent, grad);
    jacobian.joints.push([grad.joints[0], grad.joints[1], grad.joints[2]]);
  }
  return { value, jacobian };
}

/** Bundle adjustment by columns (`--mode forward`), as generated before: seventeen forward sweeps, one per unit tangent. */
function baJacobianByJvps(cam: Camera, point: Vec3, w: number, feat: Vec2): Jacobian {
  const jvp = baForward.reprojectionError_jvp;
  const jacobian: { cam: number[][]; point: number[][]; w: number[][]; feat: number[][] } = { cam: [], point: [], w: [], feat: [] };
  const value = jvp(cam, point, w, feat, {}).value;
  const columns = [
    jvp(cam, point, w, feat, { cam: { rotation: { x: 1, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 1, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 1 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 1, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 1, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 1 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 1, principal: { x: 0, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 1, y: 0 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 1 }, distortion: [0, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [1, 0] } }).tangent,
    jvp(cam, point, w, feat, { cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 1] } }).tangent,
    jvp(cam, point, w, feat, { point: { x: 1, y: 0, z: 0 } }).tangent,
    jvp(cam, point, w, feat, { point: { x: 0, y: 1, z: 0 } }).tangent,
    jvp(cam, point, w, feat, { point: { x: 0, y: 0, z: 1 } }).tangent,
    jvp(cam, point, w, feat, { w: 1 }).tangent,
    jvp(cam, point, w, feat, { feat: { x: 1, y: 0 } }).tangent,
    jvp(cam, point, w, feat, { feat: { x: 0, y: 1 } }).tangent,
  ];
  // The columns laid out as rows (leaf x of the result, then y).
  jacobian.cam = [columns.slice(0, 11).map((c) => c.x), columns.slice(0, 11).map((c) => c.y)];
  jacobian.point = [columns.slice(11, 14).map((c) => c.x), columns.slice(11, 14).map((c) => c.y)];
  jacobian.w = [[columns[14]!.x], [columns[14]!.y]];
  jacobian.feat = [[columns[15]!.x, columns[16]!.x], [columns[15]!.y, columns[16]!.y]];
  return { value, jacobian };
}

/** The robot arm by columns, as generated before: three forward sweeps. */
function armJacobianByJvps(joints: Joints): Jacobian {
  const jacobian: { joints: number[][] } = { joints: [] };
  const value = armForward.tip_jvp(joints, {}).value;
  const columns = [armForward.tip_jvp(joints, { joints: [1, 0, 0] }).tangent, armForward.tip_jvp(joints, { joints: [0, 1, 0] }).tangent, armForward.tip_jvp(joints, { joints: [0, 0, 1] }).tangent];
  jacobian.joints = [
    [columns[0]!.x, columns[1]!.x, columns[2]!.x],
    [columns[0]!.y, columns[1]!.y, columns[2]!.y],
    [columns[0]!.z, columns[1]!.z, columns[2]!.z],
  ];
  return { value, jacobian };
}

/**
 * bench/ba's residual on Float64Arrays (cam, X, w -> 2 numbers), as f_jacobian was generated for
 * a numeric-array result before vector mode: the value from a forward sweep, then one
 * `f_vjp_into` per row into one reused buffer.
 */
function baArraysJacobianByVjps(cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number): Jacobian {
  const value = baArrays.ba_reproj_jvp(cam, X, w, feat0, feat1, {}).value;
  const rows = value.length;
  const jacobian: { cam: number[][]; X: number[][]; w: number[][] } = {
    cam: Array.from({ length: rows }, () => new Array<number>(cam.length).fill(0)),
    X: Array.from({ length: rows }, () => new Array<number>(X.length).fill(0)),
    w: Array.from({ length: rows }, () => new Array<number>(1).fill(0)),
  };
  const cotangent = new Float64Array(rows);
  const grad = { cam: new Float64Array(cam.length), X: new Float64Array(X.length), w: 0 };
  for (let i = 0; i < rows; i++) {
    grad.cam.fill(0);
    grad.X.fill(0);
    grad.w = 0;
    cotangent[i] = 1;
    baArrays.ba_reproj_vjp_into(cam, X, w, feat0, feat1, cotangent, grad);
    cotangent[i] = 0;
    for (let j = 0; j < cam.length; j++) jacobian.cam[i]![j] = grad.cam[j]!;
    for (let j = 0; j < X.length; j++) jacobian.X[i]![j] = grad.X[j]!;
    jacobian.w[i]![0] = grad.w;
  }
  return { value, jacobian };
}

// ------------------------------------------------------------ the sweeps alone, into buffers the caller owns

/**
 * A Jacobian block assembled without allocation (as examples/bundle-adjustment/main.ts does):
 * `sweeps` adds the rows' vector-Jacobian products into two zeroed gradient buffers, whose
 * leaves are then copied into two reused rows of 17. The result object is reused too.
 */
function baBlockInto(sweeps: (cam: Camera, point: Vec3, w: number, feat: Vec2, g0: BaGrad, g1: BaGrad) => void): (cam: Camera, point: Vec3, w: number, feat: Vec2) => Jacobian {
  const zeroGrad = (): BaGrad => ({ cam: { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0, y: 0, z: 0 }, focal: 0, principal: { x: 0, y: 0 }, distortion: [0, 0] }, point: { x: 0, y: 0, z: 0 }, w: 0, feat: { x: 0, y: 0 } });
  const grads = [zeroGrad(), zeroGrad()] as const;
  const rows = [new Array<number>(17).fill(0), new Array<number>(17).fill(0)];
  const held: Jacobian = { value: undefined, jacobian: { block: rows } };
  return (cam, point, w, feat) => {
    for (const g of grads) {
      g.cam.rotation.x = g.cam.rotation.y = g.cam.rotation.z = 0;
      g.cam.centre.x = g.cam.centre.y = g.cam.centre.z = 0;
      g.cam.focal = g.cam.principal.x = g.cam.principal.y = g.cam.distortion[0] = g.cam.distortion[1] = 0;
      g.point.x = g.point.y = g.point.z = g.w = g.feat.x = g.feat.y = 0;
    }
    sweeps(cam, point, w, feat, grads[0], grads[1]);
    for (let k = 0; k < 2; k++) {
      const g = grads[k]!;
      const row = rows[k]!;
      row[0] = g.cam.rotation.x;
      row[1] = g.cam.rotation.y;
      row[2] = g.cam.rotation.z;
      row[3] = g.cam.centre.x;
      row[4] = g.cam.centre.y;
      row[5] = g.cam.centre.z;
      row[6] = g.cam.focal;
      row[7] = g.cam.principal.x;
      row[8] = g.cam.principal.y;
      row[9] = g.cam.distortion[0];
      row[10] = g.cam.distortion[1];
      row[11] = g.point.x;
      row[12] = g.point.y;
      row[13] = g.point.z;
      row[14] = g.w;
      row[15] = g.feat.x;
      row[16] = g.feat.y;
    }
    return held;
  };
}
const EX = { x: 1, y: 0 };
const EY = { x: 0, y: 1 };
const baBlockByVjps = baBlockInto((cam, point, w, feat, g0, g1) => {
  ba.reprojectionError_vjp_into(cam, point, w, feat, EX, g0);
  ba.reprojectionError_vjp_into(cam, point, w, feat, EY, g1);
});
const baBlockByVectorMode = baBlockInto((cam, point, w, feat, g0, g1) => {
  ba.reprojectionError_vjp2_into(cam, point, w, feat, EX, EY, g0, g1);
});

/**
 * The same block written in place by `f_jacobian_into` (one sweep writing both rows of 17 into a
 * reused Float64Array: nothing to zero or copy), read through two views made once.
 */
function baBlockInPlace(): (cam: Camera, point: Vec3, w: number, feat: Vec2) => Jacobian {
  const out = new Float64Array(34);
  const held = { value: undefined, jacobian: { block: [out.subarray(0, 17), out.subarray(17)] } } as unknown as Jacobian;
  return (cam, point, w, feat) => {
    ba.reprojectionError_jacobian_into(cam, point, w, feat, out, 0);
    return held;
  };
}

/**
 * bench/ba's residual on Float64Arrays: its 2 x 15 block by `ba_reproj_vjp2_into` into two zeroed
 * gradients copied into the rows (as bench/ba assembled it before f_jacobian_into), or written in
 * place by `ba_reproj_jacobian_into`.
 */
function baArraysBlock(inPlace: boolean): (cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number) => Jacobian {
  const out = new Float64Array(30);
  const held = { value: undefined, jacobian: { block: [out.subarray(0, 15), out.subarray(15)] } } as unknown as Jacobian;
  const grads = [0, 1].map(() => ({ cam: new Float64Array(11), X: new Float64Array(3), w: 0 }));
  const units = [Float64Array.from([1, 0]), Float64Array.from([0, 1])];
  return (cam, X, w, feat0, feat1) => {
    if (inPlace) {
      baArrays.ba_reproj_jacobian_into(cam, X, w, feat0, feat1, out, 0);
      return held;
    }
    for (const g of grads) {
      g.cam.fill(0);
      g.X.fill(0);
      g.w = 0;
    }
    baArrays.ba_reproj_vjp2_into(cam, X, w, feat0, feat1, units[0]!, units[1]!, grads[0]!, grads[1]!);
    grads.forEach((g, k) => {
      for (let t = 0; t < 11; t++) out[15 * k + t] = g.cam[t]!;
      for (let t = 0; t < 3; t++) out[15 * k + 11 + t] = g.X[t]!;
      out[15 * k + 14] = g.w;
    });
    return held;
  };
}

/** The same for the arm: three rows of three. */
function armBlockInto(sweeps: (joints: Joints, g: { joints: Joints }[]) => void): (joints: Joints) => Jacobian {
  const grads = [{ joints: [0, 0, 0] as Joints }, { joints: [0, 0, 0] as Joints }, { joints: [0, 0, 0] as Joints }];
  const rows = [new Array<number>(3).fill(0), new Array<number>(3).fill(0), new Array<number>(3).fill(0)];
  const held: Jacobian = { value: undefined, jacobian: { joints: rows } };
  return (joints) => {
    for (const g of grads) g.joints[0] = g.joints[1] = g.joints[2] = 0;
    sweeps(joints, grads);
    for (let k = 0; k < 3; k++) for (let j = 0; j < 3; j++) rows[k]![j] = grads[k]!.joints[j]!;
    return held;
  };
}
const UNITS = [{ x: 1, y: 0, z: 0 }, { x: 0, y: 1, z: 0 }, { x: 0, y: 0, z: 1 }] as const;
const armBlockByVjps = armBlockInto((joints, g) => {
  arm.tip_vjp_into(joints, UNITS[0], g[0]!);
  arm.tip_vjp_into(joints, UNITS[1], g[1]!);
  arm.tip_vjp_into(joints, UNITS[2], g[2]!);
});
const armBlockByVectorMode = armBlockInto((joints, g) => {
  arm.tip_vjp3_into(joints, UNITS[0], UNITS[1], UNITS[2], g[0]!, g[1]!, g[2]!);
});

// ------------------------------------------------------------ inputs

const input = readBa("ba/ba1_n49_m7776_p31843.txt");
const camera = (i: number): Camera => {
  const c = input.cams.subarray(11 * i, 11 * i + 11);
  return { rotation: { x: c[0]!, y: c[1]!, z: c[2]! }, centre: { x: c[3]!, y: c[4]!, z: c[5]! }, focal: c[6]!, principal: { x: c[7]!, y: c[8]! }, distortion: [c[9]!, c[10]!] };
};
const cameras = Array.from({ length: input.n }, (_, i) => camera(i));
const points: Vec3[] = Array.from({ length: input.m }, (_, i) => ({ x: input.X[3 * i]!, y: input.X[3 * i + 1]!, z: input.X[3 * i + 2]! }));
const observations = Array.from({ length: input.p }, (_, i) => ({ cam: cameras[input.obs[2 * i]!]!, point: points[input.obs[2 * i + 1]!]!, w: input.w[i]!, feat: { x: input.feats[2 * i]!, y: input.feats[2 * i + 1]! } }));
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const r = rng(13);
const poses: Joints[] = Array.from({ length: 50_000 }, () => [(r() * 2 - 1) * Math.PI, (r() * 2 - 1) * 1.5, (r() * 2 - 1) * 2]);

// ------------------------------------------------------------ methods and measurement

const baArgs = observations.map((o) => [o.cam, o.point, o.w, o.feat]);
const armArgs = poses.map((q) => [q]);
const baArraysArgs = Array.from({ length: input.p }, (_, i) => {
  const c = 11 * input.obs[2 * i]!;
  const j = 3 * input.obs[2 * i + 1]!;
  return [input.cams.slice(c, c + 11), input.X.slice(j, j + 3), input.w[i]!, input.feats[2 * i]!, input.feats[2 * i + 1]!];
});
interface Case {
  label: string;
  args: unknown[][];
  old: (...a: unknown[]) => Jacobian;
  vector: (...a: unknown[]) => Jacobian;
}
const cases: Case[] = [
  { label: "BA residual 2 x 17, by rows (ba1, p=31843)", args: baArgs, old: baJacobianByVjps as never, vector: ba.reprojectionError_jacobian as never },
  { label: "BA residual 2 x 17, by columns (--mode forward)", args: baArgs, old: baJacobianByJvps as never, vector: baForward.reprojectionError_jacobian as never },
  { label: "robot arm tip 3 x 3, by rows (50,000 poses)", args: armArgs, old: armJacobianByVjps as never, vector: arm.tip_jacobian as never },
  { label: "robot arm tip 3 x 3, by columns (--mode forward)", args: armArgs, old: armJacobianByJvps as never, vector: armForward.tip_jacobian as never },
  { label: "BA residual on Float64Arrays (bench/ba) 2 x 15, sizes at run time: a pair of rows", args: baArraysArgs, old: baArraysJacobianByVjps as never, vector: baArrays.ba_reproj_jacobian as never },
  { label: "BA block, the sweeps alone into owned buffers: f_vjp2_into vs 2 f_vjp_into", args: baArgs, old: baBlockByVjps as never, vector: baBlockByVectorMode as never },
  { label: "arm block, the sweeps alone into owned buffers: f_vjp3_into vs 3 f_vjp_into", args: armArgs, old: armBlockByVjps as never, vector: armBlockByVectorMode as never },
  { label: "BA block in place: f_jacobian_into vs f_vjp2_into into owned buffers (zeroed, copied)", args: baArgs, old: baBlockByVectorMode as never, vector: baBlockInPlace() as never },
  { label: "BA block on Float64Arrays in place: ba_reproj_jacobian_into vs ba_reproj_vjp2_into (zeroed, copied)", args: baArraysArgs, old: baArraysBlock(false) as never, vector: baArraysBlock(true) as never },
];

const roundsFlag = process.argv.indexOf("--rounds");
const rounds = roundsFlag > 0 ? Number(process.argv[roundsFlag + 1]) : 21;
let sink = 0;
/** `reps` calls per input; `key` names a block of the Jacobian, one entry of which is kept. */
const pass = (f: (...a: unknown[]) => Jacobian, args: unknown[][], key: string, reps = 1): number => {
  const t = performance.now();
  for (let r = 0; r < reps; r++) for (const a of args) sink += f(...a).jacobian[key]![0]![0]!;
  return performance.now() - t;
};
const quantile = (sorted: number[], q: number) => sorted[Math.round(q * (sorted.length - 1))]!;

const onlyFlag = process.argv.indexOf("--only");
const only = onlyFlag > 0 ? process.argv[onlyFlag + 1]! : "";
console.log(`| Jacobian | old: one sweep per row/column (µs) | vector mode (µs) | old / new (median) | quartiles | rounds |`);
console.log(`|---|---:|---:|---:|---:|---:|`);
for (const c of cases.filter((k) => k.label.includes(only))) {
  // Same Jacobian both ways, at every input.
  let worst = 0;
  for (const a of c.args) {
    const x = c.old(...a).jacobian;
    const y = c.vector(...a).jacobian;
    for (const k of Object.keys(x)) x[k]!.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - y[k]![i]![j]!) / Math.max(1, Math.abs(v))))));
  }
  if (!(worst < 1e-12)) throw new Error(`${c.label}: vector mode differs from the old way (max rel diff ${worst})`);
  const key = Object.keys(c.vector(...c.args[0]!).jacobian)[0]!;
  for (let w = 0; w < 3; w++) {
    pass(c.old, c.args, key);
    pass(c.vector, c.args, key);
  }
  // Passes of at least about 100 ms each (the faster method's), so that a collection or a timer tick weighs little.
  const reps = Math.max(1, Math.ceil(100 / Math.min(pass(c.old, c.args, key), pass(c.vector, c.args, key))));
  const olds: number[] = [];
  const news: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let o: number;
    let n: number;
    if (round % 2 === 0) {
      o = pass(c.old, c.args, key, reps);
      n = pass(c.vector, c.args, key, reps);
    } else {
      n = pass(c.vector, c.args, key, reps);
      o = pass(c.old, c.args, key, reps);
    }
    olds.push(o);
    news.push(n);
    ratios.push(o / n);
  }
  for (const list of [olds, news, ratios]) list.sort((a, b) => a - b);
  const perJacobian = (ms: number) => ((ms * 1000) / (reps * c.args.length)).toFixed(3);
  console.log(`| ${c.label} | ${perJacobian(quantile(olds, 0.5))} | ${perJacobian(quantile(news, 0.5))} | ${quantile(ratios, 0.5).toFixed(2)}x | ${quantile(ratios, 0.25).toFixed(2)}x-${quantile(ratios, 0.75).toFixed(2)}x | ${rounds} |`);
}
if (Number.isNaN(sink)) console.log("(NaN in a Jacobian)");
