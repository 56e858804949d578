// expect: TSG1013 5:13
// message: write 'a[1]++' as its own statement
export function f(x: number): number {
  const a = [x, 0];
  const y = a[1]++ * 2;
  return y + a[1];
}
