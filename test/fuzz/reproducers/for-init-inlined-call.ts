// Found by the fuzzer (seed 301, program 73; fixed): a `for` initializer whose call is inlined
// with a temporary for an argument used twice printed `for (const p1 = ..., let i5 = ...; ...)`,
// which does not parse. The initializer now runs just before the loop.
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num", "z": "num" }, "f1": { "x": "num", "z": "num" } },
  "points": { "f0": [[0.3, 0.2], [-0.8, 0.5]], "f1": [[0.3, 0.2], [-0.8, 0.5]] }
}
*/
const h1 = (p0: number, p1: number): number => Math.min(p1, p1) * p0;

export function f0(x: number, z: number): number {
  let s = 0;
  for (let i5 = h1(z, Math.tanh(x)); i5 < 1; i5 += 0.5) {
    s += i5 * x;
  }
  return s;
}

// f0's result does not reach f1's: generated code calls a copy of the primal f0.
export function f1(x: number, z: number): number {
  const unused = f0(x, z);
  return x * z + (unused > 100 ? 1 : 0);
}
