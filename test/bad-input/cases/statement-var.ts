// expect: TSG1014 4:3
// A var declaration (the only error: y is a local, not a module-level variable).
export function f(x: number): number {
  var y = x * 2;
  return y;
}
