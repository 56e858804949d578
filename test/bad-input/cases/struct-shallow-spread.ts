// expect: TSG1057 7:9
// A spread copies the top level only: s.a is p.a, so writing s.a.u changes p.a.u. tsgrad keeps
// structures as separate numbers and refuses the write rather than differentiate it wrongly.
// (Found by the fuzzer with --structs, seed 20261130 program 22.)
export function f(x: number): number {
  const p = { a: { u: x }, b: 1 };
  const s = { ...p };
  s.a.u *= 2;
  return p.a.u * x;
}
