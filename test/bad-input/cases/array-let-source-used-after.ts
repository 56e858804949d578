// expect: TSG1034 8:5
// message: 'u' and 'v' would share their elements while 'v' is written
export function f(x: number): number {
  let u = [x, 2 * x];
  let v = [3 * x, x];
  for (let i = 0; i < 3; i++) {
    v[0] += u[1];
    u = v;
    v[1] = v[0] * x;
  }
  return u[0] + u[1];
}
