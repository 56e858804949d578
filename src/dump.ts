/**
 * `tsgrad compile --dump ir,activity,tbr`: what a stage sees, printed for debugging and for
 * the stage tests. `ir` is each lowered function (after inlining) printed back as TypeScript;
 * `activity` lists the active and inactive variables of each selected function; `tbr` prints
 * the reverse mode's view of each selected function's body, with a comment above every
 * statement whose overwritten value the forward sweep records or the reverse sweep recomputes.
 */
import { DUMP_STAGES, type DumpStage } from "./api-types.js";
import type { IrFunction, IrProgram, Stmt, Var } from "./ir/nodes.js";
import { isDifferentiableType } from "./ir/nodes.js";
import { mapStmtParts } from "./ir/walk.js";
import { analyzeActivity } from "./analysis/activity.js";
import { variablesOf } from "./ad/common.js";
import { Namer } from "./ad/names.js";
import { ReverseRoutines } from "./ad/reverse/routines.js";
import { ReversePlan } from "./ad/reverse/plan.js";
import { primalCopy, printStandalone } from "./emit/module.js";


export function dumpStages(ir: IrProgram, stages: readonly DumpStage[], wrt: Set<string> | undefined): string {
  const sections: string[] = [];
  for (const stage of DUMP_STAGES) {
    if (!stages.includes(stage)) continue;
    const parts = stage === "ir" ? [...ir.functions.values()].map(dumpIr) : ir.selected.map((name) => (stage === "activity" ? dumpActivity : dumpTbr)(ir.functions.get(name)!, ir, wrt));
    sections.push(`// ---- ${stage}\n\n${parts.join("\n\n")}`);
  }
  return `${sections.join("\n\n")}\n`;
}

function independentsOf(fn: IrFunction, wrt: Set<string> | undefined): Var[] {
  return fn.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type) && (!wrt || wrt.has(v.name)));
}

function dumpIr(fn: IrFunction): string {
  return printStandalone({ ...primalCopy(fn, []), doc: [], exported: fn.exported });
}

function dumpActivity(fn: IrFunction, _ir: IrProgram, wrt: Set<string> | undefined): string {
  const namer = new Namer();
  const vars = variablesOf(fn);
  namer.claim(vars);
  const activity = analyzeActivity(fn, independentsOf(fn, wrt));
  const names = (active: boolean) => vars.filter((v) => activity.isActive(v) === active).map((v) => namer.of(v)).join(", ") || "(none)";
  return `${fn.name}\n  active: ${names(true)}\n  inactive: ${names(false)}`;
}

function dumpTbr(fn: IrFunction, ir: IrProgram, wrt: Set<string> | undefined): string {
  const namer = new Namer();
  namer.claim(variablesOf(fn));
  const plan = new ReversePlan(fn, ir, namer, independentsOf(fn, wrt), { k: "num", value: 1 }, true, new ReverseRoutines());
  const annotate = (list: readonly Stmt[]): Stmt[] =>
    list.flatMap((s) => {
      const inner = mapStmtParts(s, (e) => e, annotate);
      const written = s.k === "assign" ? namer.of(s.target) : s.k === "store" ? "the element" : "";
      if (plan.pushes.has(s)) return [{ k: "comment", text: `TBR: records the old value of ${written}` } as Stmt, inner];
      if (plan.inverted.has(s)) return [{ k: "comment", text: `TBR: the reverse sweep undoes this step` } as Stmt, inner];
      return [inner];
    });
  const live = [...plan.liveAtEnd].map((v) => namer.of(v)).sort();
  const copy = primalCopy({ ...fn, body: annotate(plan.body) }, []);
  return `${printStandalone({ ...copy, doc: [`Live at the end of the forward sweep: ${live.join(", ") || "(none)"}`], exported: fn.exported })}`;
}
