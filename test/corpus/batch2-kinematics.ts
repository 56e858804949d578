// Trial corpus, batch 2: robotics and kinematics written the way public TypeScript writes it (see bench/README.md).
// Each function is original code in the style of the public code named above it.

export class Joint {
  constructor(
    public angle: number,
    public length: number,
    public minAngle = -Math.PI,
    public maxAngle = Math.PI,
  ) {}
}

// Mirrors: planar arm classes in browser IK demos (an `Arm` holding `joints: Joint[]`, FK accumulating clamped angles in a for...of).
export class Arm {
  joints: Joint[] = [];
  base: { x: number; y: number };

  constructor(joints: Joint[], base = { x: 0, y: 0 }) {
    this.joints = joints;
    this.base = base;
  }

  endEffector(): { x: number; y: number } {
    let { x, y } = this.base;
    let heading = 0;
    for (const joint of this.joints) {
      heading += Math.min(joint.maxAngle, Math.max(joint.minAngle, joint.angle));
      x += joint.length * Math.cos(heading);
      y += joint.length * Math.sin(heading);
    }
    return { x, y };
  }
}

// Mirrors: rig/robot visualiser helpers returning every joint position as `[x, y, z]` tuples grown with push (three.js-adjacent code).
export function jointPositions(jointAngles: number[], segmentLengths: number[], elevation = 0): [number, number, number][] {
  const positions: [number, number, number][] = [[0, 0, 0]];
  const n = Math.min(jointAngles.length, segmentLengths.length);
  let heading = 0;
  for (let i = 0; i < n; i++) {
    heading += jointAngles[i];
    const [px, py, pz] = positions[positions.length - 1];
    const len = segmentLengths[i];
    const horizontal = len * Math.cos(elevation);
    positions.push([px + horizontal * Math.cos(heading), py + horizontal * Math.sin(heading), pz + len * Math.sin(elevation)]);
  }
  return positions;
}

export interface DHParam {
  a: number;
  alpha: number;
  d: number;
  thetaOffset?: number;
}

type Mat4 = number[][];

const identity4 = (): Mat4 => [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];

function matMul(a: Mat4, b: Mat4): Mat4 {
  return a.map((row) => b[0].map((_, j) => row.reduce((sum, v, k) => sum + v * b[k][j], 0)));
}

function dhMatrix(theta: number, { a, alpha, d }: DHParam): Mat4 {
  const ct = Math.cos(theta);
  const st = Math.sin(theta);
  const ca = Math.cos(alpha);
  const sa = Math.sin(alpha);
  return [
    [ct, -st * ca, st * sa, a * ct],
    [st, ct * ca, -ct * sa, a * st],
    [0, sa, ca, d],
    [0, 0, 0, 1],
  ];
}

// Mirrors: Denavit-Hartenberg chains in robot-arm configurators: 4x4 number[][] transforms multiplied with nested map/reduce, folded over the links.
export function dhEndEffector(links: DHParam[], q: number[]): [number, number, number] {
  const T = links.reduce((acc, link, i) => matMul(acc, dhMatrix(q[i] + (link.thetaOffset ?? 0), link)), identity4());
  return [T[0][3], T[1][3], T[2][3]];
}
