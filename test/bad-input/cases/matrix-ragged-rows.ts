// expect: TSG1074 4:25
// message: is not a supported way to create a matrix; create it whole
export function gram(xs: number[], n: number): number {
  const m: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j <= i; j++) row.push(xs[i] * xs[j]);
    m.push(row);
  }
  return m[n - 1][0];
}
