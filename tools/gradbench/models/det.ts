// compile: tsgrad compile det.ts --mode reverse --fn det --wrt a
/**
 * GradBench's `det` eval (cmpad's det_by_minor): the determinant of an ell x ell matrix by
 * expansion by minors along the first row, recursively, down to 2 x 2 minors. A minor is the
 * rows from `row` down and the columns no row above took; the taken columns are one number, the
 * sum of 2^c over them, tested with a table of powers of two (2 ** c costs a Math.pow call).
 * tsgrad writes det.grad.ts (the gradient with respect to the matrix, `--wrt a`).
 */

/** The determinant of the minor of `a` (ell x ell, row after row) on the rows from `row` down and the columns not in `taken`. */
function minorDet(a: number[], ell: number, pow2: number[], row: number, taken: number): number {
  /** Whether column c is free: bit c of `taken` is 0. */
  const free = (c: number): boolean => Math.floor(taken / pow2[c]) % 2 === 0;
  if (row === ell - 2) {
    // a 2 x 2 minor: its two free columns
    let c1 = 0;
    while (!free(c1)) c1++;
    let c2 = c1 + 1;
    while (!free(c2)) c2++;
    return a[row * ell + c1] * a[(row + 1) * ell + c2] - a[row * ell + c2] * a[(row + 1) * ell + c1];
  }
  let det = 0;
  let sign = 1;
  for (let c = 0; c < ell; c++) {
    if (free(c)) {
      det += sign * a[row * ell + c] * minorDet(a, ell, pow2, row + 1, taken + pow2[c]);
      sign = -sign;
    }
  }
  return det;
}

/** The determinant of the ell x ell matrix `a`, given row after row. */
export function det(a: number[], ell: number): number {
  if (ell === 1) return a[0];
  const pow2 = Array.from({ length: ell }, (_, c) => 2 ** c);
  return minorDet(a, ell, pow2, 0, 0);
}
