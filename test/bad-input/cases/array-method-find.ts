// expect: TSG1070 5:16
// message: Array method 'find' is not supported; write a for loop that keeps the element it finds
// (Not TSG1015 for the number | undefined it gives, nor TSG1002 for the ?? that reads it.)
export function f(xs: number[]): number {
  const v = xs.find((a) => a > 0);
  return v ?? 0;
}
