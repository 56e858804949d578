// One Levenberg-Marquardt solve of a bundle-adjustment problem built around ADBench's camera
// (see scene.ts): cameras, points and intrinsics are refined together to minimise the
// reprojection error. Each observation's Jacobian block (2 x 11 for its camera, 2 x 3 for its
// point) is two reverse sweeps of the generated reprojectionError_vjp_into, one per image
// coordinate. Prints the reprojection error before and after.
import { check, pick, stopwatch } from "../common/report.js";
import { reprojectionError } from "./model.js";
import { reprojectionError_vjp_into } from "./model.grad.js";
import { makeScene, readAdbench } from "./scene.js";
import { type BlockFunction, cost, solve } from "./solver.js";

const adbench = readAdbench(new URL("./data/ba1_n49_m7776_p31843.txt", import.meta.url));
const noise = 0.5;
const { truth, start: problem } = makeScene(adbench.cam, { cameras: pick(8, 5), points: pick(150, 40), noise, seed: 3 });
const observations = problem.feats.length;
// The principal point (u0, v0) is held fixed, as Bundle Adjustment in the Large does: it is
// nearly interchangeable with a small rotation, and leaving it free only slows the solve down.
const unknowns = 9 * problem.cams.length + 3 * problem.points.length;
console.log(
  `${problem.cams.length} cameras (ADBench's camera model and intrinsics: f = ${adbench.cam[6]}, k1 = ${adbench.cam[9]}, k2 = ${adbench.cam[10]}), ` +
    `${problem.points.length} points, ${observations} observations (image noise ${noise} px); ${unknowns} unknowns`,
);

// Residuals with the weight w = 1 (the weight's own residual, 1 - w², is then 0).
const residual = (cam: number[], X: number[], feat: number[]): number[] => reprojectionError(cam, X, 1, feat);

// The Jacobian block of one observation: row i is the vector-Jacobian product with e_i.
// Columns 7 and 8 (u0, v0) are left at zero: the solver then keeps them fixed.
const grad = { cam: new Array<number>(11).fill(0), X: [0, 0, 0], w: 0, feat: [0, 0] };
const cotangents = [
  [1, 0],
  [0, 1],
];
const block: BlockFunction = (cam, X, feat, r, Jc, Jp) => {
  for (let row = 0; row < 2; row++) {
    grad.cam.fill(0);
    grad.X.fill(0);
    const value = reprojectionError_vjp_into(cam, X, 1, feat, cotangents[row]!, grad);
    r[row] = value[row]!;
    for (let a = 0; a < 11; a++) Jc[row * 11 + a] = a === 7 || a === 8 ? 0 : grad.cam[a]!;
    for (let a = 0; a < 3; a++) Jp[row * 3 + a] = grad.X[a]!;
  }
};

// Root mean square over the observations of the distance (px) between projection and image point.
const rmsPixels = (halfSumOfSquares: number): number => Math.sqrt((2 * halfSumOfSquares) / observations);
const before = rmsPixels(cost(problem, residual));
const atTruth = rmsPixels(cost(truth, residual));
console.log(`rms reprojection error: ${before.toFixed(3)} px at the start; ${atTruth.toFixed(3)} px at the true scene (the noise alone)\n`);

const elapsed = stopwatch();
const { iterations, blocks } = solve(problem, residual, block, {
  maxIterations: 30,
  onIteration: (i, c, mu, accepted) =>
    console.log(`iteration ${String(i).padStart(2)}  rms ${rmsPixels(c).toFixed(6)} px  mu ${mu.toExponential(1)}${accepted ? "" : "  (step rejected)"}`),
});
const seconds = elapsed() / 1000;
const after = rmsPixels(cost(problem, residual));
console.log(`\n${iterations} iterations, ${blocks} Jacobian blocks (${2 * blocks} reverse sweeps), ${seconds.toFixed(2)} s`);
console.log(`rms reprojection error: ${before.toFixed(3)} px -> ${after.toFixed(3)} px (${atTruth.toFixed(3)} px at the true scene)`);

// The stated result: the solve explains the images at least as well as the true scene does (a
// little better: the fit absorbs part of the noise), starting from ten times that error.
check("rms reprojection error after / at the true scene", after / atTruth, "<=", 1);
check("rms reprojection error before / after", before / after, ">=", 10);
