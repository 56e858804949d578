// expect: TSG1002 7:3
// message: The expression statement 'g(x);'
function g(u: number): number {
  return u;
}
export function f(x: number): number {
  g(x);
  return x;
}
