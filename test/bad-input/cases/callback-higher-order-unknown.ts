// expect: TSG1071 11:16
// also: TSG1015 10:9
// message: pass a function written in place ((x) => ...), a local helper or a function of this project
// A higher-order helper is specialised to the function passed; a function chosen at run time
// (here `x > 0 ? sin : cos`) is no function tsgrad can see.
function twice(f: (x: number) => number, x: number): number {
  return f(f(x));
}
export function g(x: number): number {
  const chosen = x > 0 ? Math.sin : Math.cos;
  return twice(chosen, x);
}
