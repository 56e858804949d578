// expect: TSG1023 4:23
// message: 'new Array(3).fill(x)' is not a supported way to create an array
export function f(x: number): number {
  const a: number[] = new Array(3).fill(x);
  a[0] = x;
  return a[0] + a[1];
}
