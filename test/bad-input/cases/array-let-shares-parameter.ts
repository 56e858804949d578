// expect: TSG1034 5:7
// message: 'u' and 'x0' would share their elements while 'u' is written
export function f(x0: number[], k: number): number {
  let s = 0;
  let u = x0;
  for (let i = 0; i < 3; i++) {
    u[0] = u[0] * k;
    s += u[0];
    u = [s, k];
  }
  return s;
}
