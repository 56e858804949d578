// Found by the fuzzer (seed 401 program 2381, --arrays; fixed): in a branch TypeScript proves
// dead, a local initialised from a narrowed boolean has type `never`, and was rejected with
// TSG1015. Its initializer now decides its type.
/* fuzz-reproducer
{
  "entries": { "f0": { "x": "num" } },
  "points": { "f0": [[0.3], [-0.8]] }
}
*/
export function f0(x: number): number {
  const b3 = true;
  let s = x * x;
  if (b3) {
    s += Math.sin(x);
  } else {
    let b6 = b3;
    if (b6) s = 0;
  }
  return s;
}
