// expect: TSG1052 6:8
// An object is always truthy: as a condition it is a mistake tsgrad points at.
type Vec2 = { x: number; y: number };
export function f(x: number): number {
  const v: Vec2 = { x, y: x };
  if (!v) return 0;
  return v.x * x;
}
