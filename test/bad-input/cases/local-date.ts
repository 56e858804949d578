// expect: TSG1015 4:9
// message: Local variable 'd' has type 'Date'
export function f(x: number): number {
  const d = new Date();
  return x;
}
