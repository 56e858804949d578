// expect: TSG1017 4:3
// message: 'rows' is a parameter array and is written to
export function f(rows: Float64Array[], x: number): number {
  rows[1][0] += x;
  return rows[1][0];
}
