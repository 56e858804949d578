// expect: TSG1042 7:19
// message: 'for...of' over 'u', which reads a variable that changes while the loop runs
export function f(x: number): number {
  let u = [x, 2 * x, 3];
  let v = [1, x, x * x];
  let s = 0;
  for (const e of u) {
    s += e;
    [u, v] = [v, u];
  }
  return s + u[0];
}
