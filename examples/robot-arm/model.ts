// Forward kinematics of a three-link articulated arm, in plain TypeScript. tsgrad differentiates
// it (`tsgrad compile examples/robot-arm/model.ts` writes model.grad.ts); main.ts solves the
// inverse kinematics with the Jacobian from the generated forward mode (tip_jvp), which takes
// the joint angles as a tuple and returns the tip's tangent as a point, as tip does.
//
// Link 1 is a vertical column of height BASE that turns about the z axis (joint q[0], the
// waist). Link 2, the upper arm of length UPPER, pitches at the shoulder on top of the column
// (q[1], measured up from the horizontal). Link 3, the forearm of length FORE, pitches at the
// elbow (q[2], relative to the upper arm). Units are metres and radians.

export const BASE = 0.4;
export const UPPER = 0.5;
export const FORE = 0.4;

/** Joint angles (radians): the waist turns about z, the shoulder and the elbow pitch. */
export type Joints = [waist: number, shoulder: number, elbow: number];

/** A point in metres. */
export type Point3 = { x: number; y: number; z: number };

/** The position of the tip of the forearm for joint angles q. */
export function tip([waist, shoulder, elbowBend]: Joints): Point3 {
  const elbow = shoulder + elbowBend;
  // Distance from the waist axis, and height, in the arm's vertical plane.
  const reach = UPPER * Math.cos(shoulder) + FORE * Math.cos(elbow);
  const height = BASE + UPPER * Math.sin(shoulder) + FORE * Math.sin(elbow);
  return { x: reach * Math.cos(waist), y: reach * Math.sin(waist), z: height };
}
