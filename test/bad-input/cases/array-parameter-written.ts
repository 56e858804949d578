// expect: TSG1017 5:3
// message: 'm' is a parameter array and is written to
// (A written vector parameter is copied; a matrix's rows are not.)
export function f(m: number[][]): number {
  m[0][0] = 1;
  return m[0][0] * m[0][1];
}
