// expect: TSG1023 4:23
// message: 'new Array(3)' is not a supported way to create an array
export function f(x: number): number {
  const a: number[] = new Array(3);
  a[0] = x;
  return a[0];
}
