// Fixed bug (found by the fuzzer with --structs, seed 7100 program 1384): a helper returning a
// structure, with a labeled loop, inlined inside a loop of the same label: the generated module
// had nested `L0:` labels (a syntax error). The inlined loop's label is renamed (L0_2).
// Expected: f(x) = 4x^2, df/dx = 8x.
/* fuzz-reproducer
{
  "entries": { "f": { "x": "num" } },
  "points": { "f": [[0.5], [-1.3]] }
}
*/
type Pair = { lo: number; hi: number };

function h(p0: number): Pair {
  let k = 0;
  L0: while (k < 3) {
    k++;
    if (k > 1) break L0;
  }
  return { lo: p0 * k, hi: p0 };
}

export function f(x: number): number {
  let s = 0;
  L0: for (let i = 0; i < 2; i++) {
    const q = h(x);
    s += q.lo * q.hi;
    if (s > 100) break L0;
  }
  return s;
}
