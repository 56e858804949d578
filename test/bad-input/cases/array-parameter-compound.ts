// expect: TSG1017 4:3
// message: 'a' is a parameter array and is written to
export function f(a: Float64Array, x: number): number {
  a[0] += x;
  return a[0];
}
