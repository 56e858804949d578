// expect: TSG1015 4:9
// message: Local variable 's' has type '"abc"'
export function f(x: number): number {
  const s = "abc";
  return x;
}
