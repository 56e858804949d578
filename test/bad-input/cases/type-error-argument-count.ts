// expect: TS2554 7:15
// A type error: a helper called with too many arguments.
function g(u: number): number {
  return u;
}
export function f(x: number): number {
  return g(x, 1);
}
