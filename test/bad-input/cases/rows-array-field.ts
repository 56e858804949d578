// expect: TSG2004 5:1
// args: --fn energy
// message: has an array field
interface Node { x: number; history: number[] }
export function energy(nodes: Node[]): number {
  let e = 0;
  for (const n of nodes) e += n.x * n.history[0];
  return e;
}
