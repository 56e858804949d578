// BUG (found by the fuzzer with --methods, seed 41 program 155, fixed): an array declared empty
// inside a loop or a forEach callback, pushed, then passed as a whole in the same iteration
// (`Math.hypot(...ys)`, a helper call) is rejected with TSG1072 ("passes 'ys' ... before its last
// push ... outside the loop that pushes"), although every iteration makes a new array whose last
// push comes before the call: the loop that pushes is one the array does not outlive.
// Expected: f(x, xs) = |x| * (0 + 1) = |x|, df/dx = sign(x); g(x, xs) = sum |x * xs[k]|.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num", "xs": "vec" }, "g": { "x": "num", "xs": "vec" } },
  "points": { "f": [[0.5, [0.3, -1.2]], [-1.3, [1, 2]]], "g": [[0.5, [0.3, -1.2]], [-1.3, [1, 2]]] }
}
*/
export function f(x: number, xs: number[]): number {
  let s = 0;
  for (let i = 0; i < 2; i++) {
    const ys: number[] = [];
    ys.push(x * i);
    s += Math.hypot(...ys);
  }
  return s;
}

export function g(x: number, xs: number[]): number {
  let s = 0;
  xs.forEach((e) => {
    const ys: number[] = [];
    ys.push(x * e);
    s += Math.hypot(...ys);
  });
  return s;
}
