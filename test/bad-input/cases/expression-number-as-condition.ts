// expect: TSG1002 4:7
// message: Using the number 'x' as a condition
export function f(x: number): number {
  if (x) {
    return 1;
  }
  return x;
}
