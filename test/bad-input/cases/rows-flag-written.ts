// expect: TSG1055 7:27
// message: Writing to the flag or string 'n.fixed' of an array of objects
interface Node { x: number; fixed: boolean }
export function energy(nodes: Node[]): number {
  const copy = nodes.map((n) => ({ ...n }));
  let e = 0;
  for (const n of copy) { n.fixed = n.x > 1; e += n.x * n.x; }
  return e;
}
