// expect: TSG1033 7:10
// message: Calls of 'g' must pass exactly 1 argument(s)
function g(...u: number[]): number {
  return u[0];
}
export function f(x: number): number {
  return g(x, x);
}
