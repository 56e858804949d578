// Inverse kinematics of a three-link arm: for each target of a pick-and-place sequence, find
// joint angles that put the tip on the target. Damped least squares (Levenberg-Marquardt) on
// the residual tip(q) - target, with the 3 x 3 Jacobian from the generated forward mode: column
// k is tip_jvp along joint k. Each solve starts from the previous pose, so the arm moves
// smoothly from target to target.
import { levenbergMarquardt } from "../common/lm.js";
import { check } from "../common/report.js";
import { BASE, FORE, UPPER, type Joints, tip } from "./model.js";
import { tip_jvp } from "./model.grad.js";

type Vec3 = [number, number, number];

// A pick-and-place sequence (metres). The sixth target lies beyond the arm's reach: the best
// the solver can do is stretch towards it, and the check below compares with that optimum.
const targets: { name: string; at: Vec3 }[] = [
  { name: "above part", at: [0.45, 0.2, 0.35] },
  { name: "grasp part", at: [0.45, 0.2, 0.12] },
  { name: "lift", at: [0.4, 0.15, 0.45] },
  { name: "above bin", at: [-0.1, 0.5, 0.45] },
  { name: "into bin", at: [-0.12, 0.55, 0.2] },
  { name: "out of reach", at: [0.0, -1.2, 0.6] },
  { name: "behind", at: [-0.5, -0.1, 0.3] },
  { name: "home", at: [0.3, 0.0, 0.6] },
];

/** How close the tip can get to `t`: the reachable set is a spherical shell around the shoulder. */
function bestPossible(t: Vec3): number {
  const d = Math.hypot(t[0], t[1], t[2] - BASE);
  return Math.max(0, d - (UPPER + FORE), Math.abs(UPPER - FORE) - d);
}

const degrees = (a: number): string => `${((a * 180) / Math.PI).toFixed(1).replace(/^-(0\.0)$/, "$1")}°`.padStart(8);

let q = [0, 0.6, -1.2]; // the starting pose
console.log(`arm: column ${BASE} m, upper arm ${UPPER} m, forearm ${FORE} m; start pose q = [${q.map(degrees).join(",")}]`);
console.log(`\n${"target".padEnd(14)} ${"position (m)".padEnd(22)} ${"waist".padStart(8)} ${"shoulder".padStart(8)} ${"elbow".padStart(8)}  iterations  tip error (m)`);

let worstExcess = 0;
for (const { name, at } of targets) {
  const solution = levenbergMarquardt(
    {
      residuals: (p) => {
        const x = tip([p[0]!, p[1]!, p[2]!]);
        return [x.x - at[0], x.y - at[1], x.z - at[2]];
      },
      jacobian: (p) => {
        const J = new Float64Array(9);
        const joints: Joints = [p[0]!, p[1]!, p[2]!];
        for (let k = 0; k < 3; k++) {
          const direction: Joints = [0, 0, 0];
          direction[k] = 1;
          const { tangent } = tip_jvp(joints, { joints: direction });
          J[k] = tangent.x;
          J[3 + k] = tangent.y;
          J[6 + k] = tangent.z;
        }
        return J;
      },
    },
    q,
    { maxIterations: 100, gradientTolerance: 1e-14, stepTolerance: 1e-14 },
  );
  q = Array.from(solution.p, (a) => Math.atan2(Math.sin(a), Math.cos(a))); // angles in (-180°, 180°]
  const x = tip([q[0]!, q[1]!, q[2]!]);
  const error = Math.hypot(x.x - at[0], x.y - at[1], x.z - at[2]);
  const optimum = bestPossible(at);
  worstExcess = Math.max(worstExcess, error - optimum);
  const where = `(${at.map((v) => v.toFixed(2)).join(", ")})`;
  const note = optimum > 0 ? `  (out of reach: the closest possible is ${optimum.toFixed(6)})` : "";
  console.log(`${name.padEnd(14)} ${where.padEnd(22)} ${q.map(degrees).join(" ")}  ${String(solution.iterations).padStart(10)}  ${error.toExponential(2)}${note}`);
}

console.log();
check("max tip error beyond the closest reachable point (m)", worstExcess, "<=", 1e-9);
