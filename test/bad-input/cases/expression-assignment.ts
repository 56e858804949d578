// expect: TSG1013 6:14
// message: write 'a[0] = x' as its own statement
export function f(x: number): number {
  const a = new Float64Array(2);
  let y = 0;
  const z = (a[0] = x) * 2;
  y = z;
  return z + y + a[0];
}
