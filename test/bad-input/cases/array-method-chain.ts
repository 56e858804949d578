// expect: TSG1071 4:10
// message: declare a new array with const first
export function f(xs: number[]): number {
  return xs.map((x) => x * x).reduce((a, b) => a + b, 0);
}
