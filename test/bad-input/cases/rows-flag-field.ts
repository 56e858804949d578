// expect: TSG2004 5:1
// args: --fn energy
// message: the elements of an array of objects must hold numbers only
interface Node { x: number; fixed: boolean }
export function energy(nodes: Node[]): number {
  let e = 0;
  for (const n of nodes) if (!n.fixed) e += n.x * n.x;
  return e;
}
