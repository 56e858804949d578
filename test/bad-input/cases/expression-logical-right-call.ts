// expect: TSG1043 7:10
// message: 'z || g(x)': the right operand of '||' runs only when it is chosen, and it calls a function;
function g(x: number): number {
  return x * x;
}
export function f(x: number, z: number): number {
  return z || g(x);
}
