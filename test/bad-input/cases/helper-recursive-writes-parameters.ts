// expect: TSG1054 14:17
// message: 'detOfMinor' writes into its parameters 'rows', 'cols', so it is inlined where it is called; it calls itself
/** cmpad's det_of_minor: the minor's rows and columns are linked lists of indices, updated in place and restored. */
function detOfMinor(a: number[], n: number, m: number, rows: number[], cols: number[]): number {
  const first = rows[n];
  let col = cols[n];
  if (m === 1) return a[first * n + col];
  rows[n] = rows[first];
  let det = 0;
  let sign = 1;
  let previous = n;
  for (let j = 0; j < m; j++) {
    cols[previous] = cols[col];
    const sub = detOfMinor(a, n, m - 1, rows, cols);
    cols[previous] = col;
    det += sign * a[first * n + col] * sub;
    sign = -sign;
    previous = col;
    col = cols[col];
  }
  rows[n] = first;
  return det;
}
export function det(a: number[], n: number): number {
  const rows = new Array<number>(n + 1).fill(0);
  const cols = new Array<number>(n + 1).fill(0);
  for (let k = 0; k < n; k++) {
    rows[k] = k + 1;
    cols[k] = k + 1;
  }
  return detOfMinor(a, n, n, rows, cols);
}
