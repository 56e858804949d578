// expect: TSG1003 4:23
// also: TSG1008 8:15
// message: Parameter 's' has type 'string'
function g(u: number, s: string): number {
  return u;
}
export function f(x: number): number {
  return g(x, "a");
}
