// expect: TSG1026 3:23
// message: Parameter 'k' is optional (of a type other than number), a rest parameter, or has a default value that is not a literal
function g(u: number, k = u * 2): number {
  return u * k;
}
export function f(x: number): number {
  return g(x, 3);
}
