// expect: TSG1013 5:14
// message: write 'y = x' as its own statement
export function f(x: number): number {
  let y = 0;
  const z = (y = x) * 2;
  return z + y;
}
