// expect: TSG1043 7:8
// message: the right operand of '??' runs only when it is chosen, and it calls a function inside a condition
function g(x: number): number {
  return x * x;
}
export function f(x: number, s?: number): number {
  if ((s ?? g(x)) > 1) return x;
  return 2 * x;
}
