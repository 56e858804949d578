// expect: TSG1071 6:16
// message: A return in a forEach callback
export function f(xs: number[]): number {
  let s = 0;
  xs.forEach((x) => {
    if (x < 0) return;
    s += x;
  });
  return s;
}
