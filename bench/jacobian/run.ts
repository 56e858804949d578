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
 * Each round times one pass over all inputs with each method, the two in turns (which goes
 * first alternates); the table gives the median time per Jacobian and the median and quartiles
 * of old / new over the rounds. Run with `node bench/jacobian.mjs [--rounds N] [--only TEXT]` (the cases whose label contains TEXT).
 */
import * as ba from "../.build/jacobian/ba.grad.ts";
import * as baForward from "../.build/jacobian/ba-forward.grad.ts";
import * as arm from "../.build/jacobian/arm.grad.ts";
import * as armForward from "../.build/jacobian/arm-forward.grad.ts";
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
