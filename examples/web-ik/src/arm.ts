/**
 * The arm's objective, in plain TypeScript. tsgrad turns it into `reachLoss_grad` at build time:
 * `main.ts` imports `./arm.grad`, and the vite plugin generates that module from this file.
 *
 * A planar arm of three links hinged at the origin. `t1` is the angle of the first link against
 * the x axis; `t2` and `t3` are the bends at the elbow and the wrist, relative to the previous
 * link. The loss is the squared distance from the tip to the target `(tx, ty)`.
 *
 * (No joint limits: penalties for bending too far carve local minima into this landscape, and
 * plain gradient descent then leaves the arm curled up short of targets it could reach.)
 */
export function reachLoss(t1: number, t2: number, t3: number, tx: number, ty: number): number {
  // Link lengths, base to tip (world units). LINK_LENGTHS in main.ts must agree.
  const l1 = 1.0;
  const l2 = 0.8;
  const l3 = 0.6;

  // Forward kinematics: absolute angle of each link, then the tip.
  const a2 = t1 + t2;
  const a3 = a2 + t3;
  const x = l1 * Math.cos(t1) + l2 * Math.cos(a2) + l3 * Math.cos(a3);
  const y = l1 * Math.sin(t1) + l2 * Math.sin(a2) + l3 * Math.sin(a3);

  // The tip's error. (Not `dx`: tsgrad names the adjoint of `x` that way.)
  const ex = x - tx;
  const ey = y - ty;
  return ex * ex + ey * ey;
}
