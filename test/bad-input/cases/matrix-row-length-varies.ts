// expect: TSG1074 4:13
// message: is not a supported way to create a matrix; create it whole
export function triangle(x: number, n: number): number {
  const m = Array.from({ length: n }, (_, i) => new Array<number>(i + 1).fill(0));
  m[n - 1][0] = x;
  return m[n - 1][0] * x;
}
