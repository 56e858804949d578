// expect: TS2304 4:14
// A type error: an undeclared name.
export function f(x: number): number {
  return x * undefinedThing;
}
