// expect: TSG1075 5:3
// message: 'm[0]' replaces a row of a matrix with another array
export function f(xs: number[], n: number): number {
  const m = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  m[0] = xs;
  return m[0][0] * 2;
}
