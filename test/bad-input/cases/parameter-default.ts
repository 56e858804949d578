// expect: TSG1026 3:23
// message: Parameter 'k' has a default value
function g(u: number, k = 2): number {
  return u * k;
}
export function f(x: number): number {
  return g(x, 3);
}
