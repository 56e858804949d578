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
  /** Cotangents per reverse sweep: more than one for vector mode's `g_reverse_x2`, which has no forward routine of its own. */
  copies: number;
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

  /**
   * The suffix of `fn`'s routine pair with adjoints for the parameters in `active`. With
   * `copies` > 1 (vector mode), the suffix of a reverse routine carrying that many cotangents
   * (`g_reverse_x2`), which reads the tape the pair's forward routine records.
   */
  request(fn: IrFunction, active: readonly Var[], copies = 1): string {
    const differentiable = fn.params.filter((p) => isDifferentiableType(p.v.type));
    const pattern = differentiable.map((p) => (active.includes(p.v) ? 1 : 0)).join("");
    if (copies > 1) {
      const key = `${fn.name}(${pattern})x${copies}`;
      const known = this.requested.get(key);
      if (known) return known.suffix;
      const suffix = `${this.request(fn, active)}_x${copies}`;
      this.requested.set(key, { fn: fn.name, active: [...active], suffix, copies });
      this.order.push(key);
      return suffix;
    }
    const key = `${fn.name}(${pattern})`;
    const known = this.requested.get(key);
    if (known) return known.suffix;
    let suffix = active.length === differentiable.length ? "" : `_${active.length === 0 ? "none" : active.map((v) => v.name).join("_")}`;
    const used = this.suffixes.get(fn.name) ?? new Set<string>();
    this.suffixes.set(fn.name, used);
    for (let i = 2; used.has(suffix); i++) suffix = `${suffix}_${i}`;
    used.add(suffix);
    this.requested.set(key, { fn: fn.name, active: [...active], suffix, copies: 1 });
    this.order.push(key);
    return suffix;
  }

  /** A restore point for `rollback`. */
  mark(): number {
    return this.order.length;
  }

  /** Forgets the patterns requested since `mark` (by an entry point given up half-way, whose routines nothing would call). */
  rollback(mark: number): void {
    for (const key of this.order.splice(mark)) {
      const { fn, suffix, copies } = this.requested.get(key)!;
      this.requested.delete(key);
      if (copies === 1) this.suffixes.get(fn)?.delete(suffix);
    }
  }

  /** Every requested pair (or vector-mode reverse routine), including the ones requested while generating others. */
  generate(build: (fn: string, active: Var[], suffix: string, copies: number) => GenFunction[]): GenFunction[] {
    const out: GenFunction[] = [];
    for (let i = 0; i < this.order.length; i++) {
      const { fn, active, suffix, copies } = this.requested.get(this.order[i]!)!;
      out.push(...build(fn, active, suffix, copies));
    }
    return out;
  }
}
