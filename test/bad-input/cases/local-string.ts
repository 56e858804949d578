// expect: TSG1056 5:3
// message: 's' holds a string or an enum value and is assigned again
export function f(x: number): number {
  let s = x > 0 ? "up" : "down";
  s = "flat";
  return s === "up" ? x : -x;
}
