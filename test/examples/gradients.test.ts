/**
 * The checked-in gradient modules of the examples against finite differences (reverse mode) and
 * against each other (forward vs reverse), at random points of the sizes the examples use. The
 * examples would still "work" with a slightly wrong gradient (an optimiser forgives a lot), so
 * this is where a wrong derivative shows.
 */
import { describe, expect, it } from "vitest";
import { checkPoint, rng } from "../helpers/gradcheck.js";
import * as ba from "../../examples/bundle-adjustment/model.js";
import * as baGrad from "../../examples/bundle-adjustment/model.grad.js";
import { cameraFromAdbench, readAdbench } from "../../examples/bundle-adjustment/scene.js";
import * as rnn from "../../examples/char-rnn/model.js";
import * as rnnGrad from "../../examples/char-rnn/model.grad.js";
import * as fit from "../../examples/curve-fit/model.js";
import * as fitGrad from "../../examples/curve-fit/model.grad.js";
import * as mlp from "../../examples/mlp/model.js";
import * as mlpGrad from "../../examples/mlp/model.grad.js";
import * as arm from "../../examples/robot-arm/model.js";
import * as armGrad from "../../examples/robot-arm/model.grad.js";

const random = rng(42);
const normal = (scale = 1): number => scale * (random() + random() + random() - 1.5) * 2;
const vector = (n: number, scale = 1): number[] => Array.from({ length: n }, () => normal(scale));
const matrix = (rows: number, cols: number, scale = 1): number[][] => Array.from({ length: rows }, () => vector(cols, scale));

describe("example gradient modules", () => {
  it("curve-fit: curve, residuals (vjp, jvp) and sumOfSquares", () => {
    const p = [2, 0.25, 2.4, 0.7, 0.3];
    const t = [0.1, 1.3, 2.9, 4.4, 7.5];
    const y = [1.5, -0.4, 1.1, 0.2, 0.5];
    checkPoint("curve", fit.curve, fitGrad.curve_grad, fitGrad.curve_jvp, [p, 3.3], { params: ["p", "t"] });
    checkPoint("residuals", fit.residuals, fitGrad.residuals_vjp, fitGrad.residuals_jvp, [p, t, y], { params: ["p", "t", "y"] });
    checkPoint("sumOfSquares", fit.sumOfSquares, fitGrad.sumOfSquares_grad, fitGrad.sumOfSquares_jvp, [p, t, y], { params: ["p", "t", "y"] });
  });

  it("mlp: logits and the minibatch loss", () => {
    const H = 6;
    const params = [matrix(H, 2), vector(H, 0.1), matrix(H, H, 0.5), vector(H, 0.1), matrix(2, H), vector(2, 0.1)];
    const points = matrix(5, 2, 0.8);
    const labels = [0, 1, 1, 0, 1];
    const names = ["W1", "b1", "W2", "b2", "W3", "b3"];
    checkPoint("logits", mlp.logits, mlpGrad.logits_vjp, mlpGrad.logits_jvp, [...params, [0.3, -0.6]], { params: [...names, "xy"] });
    checkPoint("loss", mlp.loss, mlpGrad.loss_grad, mlpGrad.loss_jvp, [...params, points, labels], {
      params: [...names, "points", "labels"],
      wrt: [...names, "points"], // labels are class indices
    });
  });

  it("robot-arm: tip", () => {
    for (const q of [[0.3, 0.6, -1.2], [2.1, -0.4, 0.9]] as [number, number, number][]) checkPoint("tip", arm.tip, armGrad.tip_vjp, armGrad.tip_jvp, [q], { params: ["joints"] });
  });

  it("char-rnn: step, scores and the loss over a window", () => {
    const H = 4;
    const V = 6;
    const E = matrix(V, 4 * H, 0.5);
    const Wh = matrix(4 * H, H, 0.5);
    const b = vector(4 * H, 0.3);
    const Wy = matrix(V, H);
    const by = vector(V, 0.2);
    const state = new Float64Array(vector(2 * H, 0.5));
    checkPoint("step", rnn.step, rnnGrad.step_vjp, rnnGrad.step_jvp, [Wh, b, E[2]!, state], { params: ["Wh", "b", "embedding", "state"] });
    checkPoint("scores", rnn.scores, rnnGrad.scores_vjp, rnnGrad.scores_jvp, [Wy, by, state], { params: ["Wy", "by", "state"] });
    const text = [0, 3, 1, 5, 5, 2, 0, 4, 1];
    checkPoint("loss", rnn.loss, rnnGrad.loss_grad, rnnGrad.loss_jvp, [E, Wh, b, Wy, by, text, vector(2 * H, 0.5)], {
      params: ["E", "Wh", "b", "Wy", "by", "text", "start"],
      wrt: ["E", "Wh", "b", "Wy", "by", "start"], // text holds character indices
    });
  });

  it("bundle-adjustment: reprojectionError, also at r = 0 (the other branch)", () => {
    const cam = cameraFromAdbench([-0.758453, -1.109613, -0.845551, 34.556073, 39.676747, 53.881673, 419.194514, 5.864426, -8.51887, 0.087812, 0.002739]);
    const point = { x: 7.203245, y: 0.001144, z: 3.023326 };
    const params = { params: ["cam", "point", "w", "feat"], fdTolerance: 1e-5 };
    checkPoint("reprojectionError", ba.reprojectionError, baGrad.reprojectionError_vjp, baGrad.reprojectionError_jvp, [cam, point, 0.417022, { x: 271.760969, y: 834.209256 }], params);
    const cam0 = { ...cam, rotation: { x: 0, y: 0, z: 0 } };
    const point0 = { x: 40, y: 45, z: 20 };
    checkPoint("reprojectionError at r = 0", ba.reprojectionError, baGrad.reprojectionError_vjp, baGrad.reprojectionError_jvp, [cam0, point0, 0.8, { x: 10, y: -20 }], params);
  });

  it("bundle-adjustment: the residual of ADBench's ba1 observation, against an independent computation", () => {
    // ADBench ba1_n49_m7776_p31843.txt: one camera, point, weight and feature. The projection
    // (272.0039677816336, 834.0438743992104) was computed separately (Python, double precision)
    // from the formulas in ADBench's ba.h.
    const { cam, point, w, feat } = readAdbench(new URL("../../examples/bundle-adjustment/data/ba1_n49_m7776_p31843.txt", import.meta.url));
    expect(feat).toEqual({ x: 271.760969, y: 834.209256 });
    const r = ba.reprojectionError(cam, point, w, feat);
    expect(r.x).toBeCloseTo(0.417022 * (272.0039677816336 - 271.760969), 9);
    expect(r.y).toBeCloseTo(0.417022 * (834.0438743992104 - 834.209256), 9);
  });
});
