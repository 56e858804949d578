// Found by the fuzzer (scalar run, seed 1, program 18031), fixed: a `for` initializer calling a
// helper whose tangent nothing reads became `for (let i1 = h0_tangent_p2(...), tape.pop(); ...)`
// in f_jvp (the tidy pass keeps the bare pop for the tape's balance), which does not parse. Such
// an initializer is now printed before the loop, in a block.
/* fuzz-reproducer
{
  "entries": { "f1": { "x": "num" } },
  "points": { "f1": [[0.3], [-0.8]] }
}
*/
function h0(p0: number, p1: number, p2: number): number {
  let t0: number = p0;
  return 1;
}

export function f1(x: number): number {
  let t0 = x;
  for (let i1 = h0(Math.tanh(Math.imul(x, 3)), Math.tanh(Math.floor(7)), Math.asinh(t0)); i1 < 1; i1 += 0.5) {
    t0 = i1;
  }
  x = t0 ** 0;
  return x;
}
