// expect: TSG1071 7:10
// message: declare a new array with const first
function scaled(xs: number[]): number[] {
  return xs.map((x) => 2 * x);
}
export function f(xs: number[]): number {
  return scaled(xs).reduce((a, b) => a + b, 0);
}
