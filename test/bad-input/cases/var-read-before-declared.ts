// expect: TS2454 5:21
// A var is hoisted, but reading it before its declaration runs would read undefined.
export function f(x: number, n: number): number {
  for (let i = 0; i < n; i++) {
    if (i > 0) x += s;
    var s = x * i;
  }
  return x;
}
