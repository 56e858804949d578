// expect: TS2339 4:15
// A type error: Math has no member TAU.
export function f(x: number): number {
  return Math.TAU * x;
}
