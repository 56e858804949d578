// expect: TS2454 6:10
// y is not assigned when x <= 0: TypeScript's definite-assignment check rejects it.
export function f(x: number): number {
  let y: number;
  if (x > 0) y = x * 2;
  return y;
}
