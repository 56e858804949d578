/**
 * The forward/reverse routine pairs of callees, one per pattern of active arguments: a call
 * whose array argument is inactive (`dot(w, xs[i])` with data `xs`) gets a pair without that
 * adjoint (`dot_forward_w` / `dot_reverse_w`), so no throwaway adjoint array is allocated and
 * filled at each call, and no inactive scalar adjoint travels over the tape. The pair for all
 * differentiable parameters keeps the plain names (`dot_forward` / `dot_reverse`).
 */
import type { IrFunction, Var } from "../../ir/nodes.js";
import { isDifferentiableType } from "../../ir/nodes.js";
import type { GenFunction } from "../common.js";

interface Pattern {
  fn: string;
  active: Var[];
  suffix: string;
}

export class ReverseRoutines {
  constructor(
    /**
     * `--tape-budget` (bytes), for every reverse-mode function of the module: a loop that could
     * be checkpointed and records on the tape switches to checkpoints once it has recorded this
     * much (analysis/checkpoint.ts).
     */
    readonly tapeBudget?: number,
  ) {}

  private readonly requested = new Map<string, Pattern>();
  private readonly order: string[] = [];
  /** Suffixes handed out per function, so that two patterns never share one. */
  private readonly suffixes = new Map<string, Set<string>>();

  /** The suffix of `fn`'s routine pair with adjoints for the parameters in `active`. */
  request(fn: IrFunction, active: readonly Var[]): string {
    const differentiable = fn.params.filter((p) => isDifferentiableType(p.v.type));
    const key = `${fn.name}(${differentiable.map((p) => (active.includes(p.v) ? 1 : 0)).join("")})`;
    const known = this.requested.get(key);
    if (known) return known.suffix;
    let suffix = active.length === differentiable.length ? "" : `_${active.length === 0 ? "none" : active.map((v) => v.name).join("_")}`;
    const used = this.suffixes.get(fn.name) ?? new Set<string>();
    this.suffixes.set(fn.name, used);
    for (let i = 2; used.has(suffix); i++) suffix = `${suffix}_${i}`;
    used.add(suffix);
    this.requested.set(key, { fn: fn.name, active: [...active], suffix });
    this.order.push(key);
    return suffix;
  }

  /** Every requested pair, including the ones requested while generating others. */
  generate(build: (fn: string, active: Var[], suffix: string) => GenFunction[]): GenFunction[] {
    const out: GenFunction[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const { fn, active, suffix } = this.requested.get(this.order[i]!)!;
      out.push(...build(fn, active, suffix));
    }
    return out;
  }
}
