// expect: TSG1013 4:13
// message: write 'x++' as its own statement
export function f(x: number): number {
  const y = x++ * 2;
  return y;
}
