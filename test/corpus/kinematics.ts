// Trial corpus: kinematics written the way public TypeScript writes them (see bench/README.md).

// Mirrors: projectile range calculators with degrees input and a default gravity (physics-education sites).
export function projectileRange(v0: number, angleDeg: number, g = 9.81): number {
  const theta = (angleDeg * Math.PI) / 180;
  return (v0 * v0 * Math.sin(2 * theta)) / g;
}

// Mirrors: planar N-link forward kinematics accumulating angles over number[] and returning a tuple (robot-arm demos).
export function forwardKinematics(lengths: number[], angles: number[]): [number, number] {
  let x = 0;
  let y = 0;
  let theta = 0;
  for (let i = 0; i < lengths.length; i++) {
    theta += angles[i];
    x += lengths[i] * Math.cos(theta);
    y += lengths[i] * Math.sin(theta);
  }
  return [x, y];
}

interface Arm {
  l1: number;
  l2: number;
}

// Mirrors: two-link arm end effector with destructured object and tuple parameters (IK playgrounds).
export function endEffector({ l1, l2 }: Arm, [t1, t2]: [number, number]): { x: number; y: number } {
  return {
    x: l1 * Math.cos(t1) + l2 * Math.cos(t1 + t2),
    y: l1 * Math.sin(t1) + l2 * Math.sin(t1 + t2),
  };
}

type Vec3 = { x: number; y: number; z: number };

const GRAVITY: Vec3 = { x: 0, y: -9.81, z: 0 };

// Mirrors: ballistic position at time t with a module-level gravity object (three.js trajectory helpers).
export function trajectoryAt(p0: Vec3, v0: Vec3, t: number): Vec3 {
  const half = 0.5 * t * t;
  return {
    x: p0.x + v0.x * t + GRAVITY.x * half,
    y: p0.y + v0.y * t + GRAVITY.y * half,
    z: p0.z + v0.z * t + GRAVITY.z * half,
  };
}

// Mirrors: IK target-distance objective using Math.hypot with a spread of a difference array (web IK solvers).
export function reachError(angles: number[], lengths: number[], target: number[]): number {
  let x = 0;
  let y = 0;
  let a = 0;
  angles.forEach((t, i) => {
    a += t;
    x += lengths[i] * Math.cos(a);
    y += lengths[i] * Math.sin(a);
  });
  const diff = [x - target[0], y - target[1]];
  return Math.hypot(...diff);
}
