/**
 * Test-case reduction for failing fuzz programs: greedy, on the AST. Each round lists one-step
 * simplifications (drop a function or statement, unwrap an `if`/loop/block into its body, drop an
 * `else` or a loop's extra condition, replace an expression by one of its operands or by 1, a
 * condition by `true`/`false` or an operand; inside structured values, the numbers and conditions
 * of literals and a `?:` between structures by one side; a `for...of` loses its label and its
 * body shrinks; a `switch` loses cases or becomes one case's statements, callbacks' bodies and a
 * `forEach`'s statements shrink, an array literal of objects loses elements, an `Array.from` gets length 2, and the
 * elements built by `map`/`Array.from` shrink like other structured values) and keeps the first
 * that still fails the same way,
 * until none does or the budget runs out.
 *
 * What keeps a program terminating is never touched: loop guards and counters, recursion base
 * cases and depth arguments (nodes marked `fixed`, loop bounds are only replaced by literals).
 */
import type { Arg } from "../helpers/gradcheck.js";
import { type Cond, type Expr, type Program, type SVal, type Stmt, entriesOf, isCond, isSVal, printProgram, printProgramJs } from "./ast.js";
import { type CheckOptions, type Failure, checkProgram } from "./check.js";

type Path = (string | number)[];

interface Candidate {
  what: string;
  apply: (p: Program) => void;
}

export interface ReduceOptions {
  pointSeed?: number;
  /** Most checks to run (default 800). */
  maxChecks?: number;
  /** Wall-clock budget in milliseconds (default 180 s). */
  maxMillis?: number;
  /** Known bugs to steer clear of while checking candidates. */
  avoid?: string[];
  /** Passed to checkProgram (the reducer's own tests plant a bug this way). */
  tamper?: CheckOptions["tamper"];
  /** Check f_hvp too (fuzz --hvp). */
  hvp?: boolean;
  /** Check the gradients with loops checkpointed too (fuzz --checkpoint). */
  checkpoint?: boolean;
}

export interface Reduced {
  program: Program;
  source: string;
  failure: Failure;
  checks: number;
}

function at(root: unknown, path: Path): any {
  let x: any = root;
  for (const k of path) x = x[k];
  return x;
}

function setAt(root: unknown, path: Path, value: unknown): void {
  const parent = at(root, path.slice(0, -1));
  parent[path[path.length - 1]!] = value;
}

/** Every one-step simplification of `p`, roughly largest first. */
function candidates(p: Program): Candidate[] {
  const out: Candidate[] = [];
  const exported = p.funcs.filter((f) => f.exported).length + (p.classes ?? []).reduce((n, c) => n + c.members.length, 0) + (p.raw ?? []).reduce((n, u) => n + u.entries.length, 0);
  // Idioms mode's units of text go whole.
  p.raw?.forEach((u, i) => {
    if (exported > u.entries.length) out.push({ what: `remove unit ${u.entries.map((e) => e.name).join(", ")}`, apply: (q) => void q.raw!.splice(i, 1) });
  });
  p.funcs.forEach((f, i) => {
    if (f.exported && exported === 1) return;
    out.push({ what: `remove function ${f.name}`, apply: (q) => void q.funcs.splice(i, 1) });
  });
  p.consts.forEach((c, i) => out.push({ what: `remove const ${c.name}`, apply: (q) => void q.consts.splice(i, 1) }));
  // Unused type declarations go (a used one fails to type-check, so the candidate is refused).
  p.types?.forEach((t, i) => out.push({ what: `remove type ${t.name}`, apply: (q) => void q.types!.splice(i, 1) }));
  // Classes: members go (a called one fails to type-check, so the candidate is refused), a subclass
  // goes, and member bodies shrink as function bodies do.
  p.classes?.forEach((c, ci) => {
    if (ci > 0) out.push({ what: `remove class ${c.name}`, apply: (q) => void q.classes!.splice(ci, 1) });
    c.members.forEach((m, mi) => {
      if (exported > 1) out.push({ what: `remove ${c.name}.${m.func.name}`, apply: (q) => void q.classes![ci]!.members.splice(mi, 1) });
      param = m.func.params.find((q) => q.kind === "num")?.name;
      stmtListCandidates(m.func.body, ["classes", ci, "members", mi, "func", "body"], out, true);
    });
  });
  p.funcs.forEach((f, i) => {
    // Expressions may also shrink to the function's first number parameter.
    param = f.params.find((q) => q.kind === "num")?.name;
    if (f.style === "arrowExpr") exprCandidates(f.exprBody!, ["funcs", i, "exprBody"], out);
    else stmtListCandidates(f.body, ["funcs", i, "body"], out, true);
  });
  return out;
}

function stmtListCandidates(list: Stmt[], path: Path, out: Candidate[], functionBody = false): void {
  // Halves first (big cuts), then single statements.
  if (list.length >= 4) {
    const half = Math.floor(list.length / 2);
    for (const [from, to] of [[0, half], [half, list.length - (functionBody ? 1 : 0)]] as const) {
      if (list.slice(from, to).some(isFixed)) continue;
      out.push({ what: `remove statements ${from}..${to - 1} of ${path.join(".")}`, apply: (q) => void at(q, path).splice(from, to - from) });
    }
  }
  list.forEach((s, i) => {
    const isLastReturn = functionBody && i === list.length - 1 && s.k === "return";
    if (!isFixed(s) && !isLastReturn) out.push({ what: `remove ${s.k} at ${path.join(".")}.${i}`, apply: (q) => void at(q, path).splice(i, 1) });
    if (isFixed(s)) {
      if (s.k === "if") stmtListCandidates(s.then, [...path, i, "then"], out);
      return;
    }
    const here = [...path, i];
    switch (s.k) {
      case "if":
        out.push({ what: `unwrap if (then) at ${here.join(".")}`, apply: (q) => void at(q, path).splice(i, 1, ...(at(q, here) as Extract<Stmt, { k: "if" }>).then) });
        if (s.else) {
          out.push({ what: `unwrap if (else) at ${here.join(".")}`, apply: (q) => void at(q, path).splice(i, 1, ...(at(q, here) as Extract<Stmt, { k: "if" }>).else!) });
          out.push({ what: `drop else at ${here.join(".")}`, apply: (q) => void delete (at(q, here) as Extract<Stmt, { k: "if" }>).else });
        }
        condCandidates(s.test, [...here, "test"], out);
        stmtListCandidates(s.then, [...here, "then"], out);
        if (s.else) stmtListCandidates(s.else, [...here, "else"], out);
        return;
      case "for":
        out.push({ what: `unwrap for at ${here.join(".")}`, apply: (q) => void at(q, path).splice(i, 1, ...(at(q, here) as Extract<Stmt, { k: "for" }>).body) });
        if (s.extra) {
          out.push({ what: `drop extra condition at ${here.join(".")}`, apply: (q) => void delete (at(q, here) as Extract<Stmt, { k: "for" }>).extra });
          condCandidates(s.extra, [...here, "extra"], out);
        }
        if (s.label) out.push({ what: `drop label at ${here.join(".")}`, apply: (q) => void delete (at(q, here) as Extract<Stmt, { k: "for" }>).label });
        for (const key of ["start", "bound"] as const) {
          const e = s[key];
          if (!(e.k === "num" && (e.v === 0 || e.v === 1 || e.v === 2))) {
            for (const v of [1, 2]) out.push({ what: `${key} := ${v} at ${here.join(".")}`, apply: (q) => setAt(q, [...here, key], { k: "num", v }) });
          }
        }
        stmtListCandidates(s.body, [...here, "body"], out);
        return;
      case "while":
        out.push({ what: `unwrap ${s.doWhile ? "do" : "while"} at ${here.join(".")}`, apply: (q) => void at(q, path).splice(i, 1, ...(at(q, here) as Extract<Stmt, { k: "while" }>).body) });
        if (s.label) out.push({ what: `drop label at ${here.join(".")}`, apply: (q) => void delete (at(q, here) as Extract<Stmt, { k: "while" }>).label });
        if (s.max > 1) out.push({ what: `max := 1 at ${here.join(".")}`, apply: (q) => void ((at(q, here) as Extract<Stmt, { k: "while" }>).max = 1) });
        condCandidates(s.test, [...here, "test"], out);
        stmtListCandidates(s.body, [...here, "body"], out);
        return;
      case "block":
        out.push({ what: `unwrap block at ${here.join(".")}`, apply: (q) => void at(q, path).splice(i, 1, ...(at(q, here) as Extract<Stmt, { k: "block" }>).body) });
        stmtListCandidates(s.body, [...here, "body"], out);
        return;
      case "decl":
        if (s.kind === "const") out.push({ what: `const -> let at ${here.join(".")}`, apply: (q) => void ((at(q, here) as Extract<Stmt, { k: "decl" }>).kind = "let") });
        exprCandidates(s.init, [...here, "init"], out);
        return;
      case "bdecl":
      case "bassign":
        condCandidates(s.k === "bdecl" ? s.init : s.value, [...here, s.k === "bdecl" ? "init" : "value"], out);
        return;
      case "assign":
        if (s.op !== "=") out.push({ what: `${s.op} -> = at ${here.join(".")}`, apply: (q) => void ((at(q, here) as Extract<Stmt, { k: "assign" }>).op = "=") });
        exprCandidates(s.value, [...here, "value"], out);
        return;
      case "store":
        exprCandidates(s.value, [...here, "value"], out);
        return;
      case "return":
        exprCandidates(s.value, [...here, "value"], out);
        return;
      case "sdecl":
        if (s.kind === "const") out.push({ what: `const -> let at ${here.join(".")}`, apply: (q) => void ((at(q, here) as Extract<Stmt, { k: "sdecl" }>).kind = "let") });
        svalCandidates(s.init, [...here, "init"], out);
        return;
      case "sassign":
        svalCandidates(s.value, [...here, "value"], out);
        return;
      case "destr":
        svalCandidates(s.init, [...here, "init"], out);
        return;
      case "dassign":
        s.values.forEach((v, k) => exprCandidates(v, [...here, "values", k], out));
        return;
      // Rows mode: a for...of cannot be unwrapped (its element is bound by the loop); its body shrinks.
      case "forof":
        if (s.label) out.push({ what: `drop label at ${here.join(".")}`, apply: (q) => void delete (at(q, here) as Extract<Stmt, { k: "forof" }>).label });
        stmtListCandidates(s.body, [...here, "body"], out);
        return;
      // Methods mode.
      case "foreach":
        stmtListCandidates(s.body, [...here, "body"], out);
        return;
      case "switch":
        s.cases.forEach((c, k) => {
          // The switch replaced by one case's statements (without the break that ends it).
          out.push({
            what: `unwrap case ${k} at ${here.join(".")}`,
            apply: (q) => void at(q, path).splice(i, 1, ...(at(q, here) as Extract<Stmt, { k: "switch" }>).cases[k]!.body.filter((b) => !(b.k === "break" && !b.label))),
          });
          if (s.cases.length > 1) out.push({ what: `remove case ${k} at ${here.join(".")}`, apply: (q) => void (at(q, here) as Extract<Stmt, { k: "switch" }>).cases.splice(k, 1) });
          stmtListCandidates(c.body, [...here, "cases", k, "body"], out);
        });
        exprCandidates(s.disc, [...here, "disc"], out);
        return;
      case "fdecl":
        exprCandidates(s.body, [...here, "body"], out);
        return;
      case "push":
        if (s.values.length > 1) out.push({ what: `push one value at ${here.join(".")}`, apply: (q) => void (at(q, here) as Extract<Stmt, { k: "push" }>).values.pop() });
        s.values.forEach((_, k) => exprCandidates(s.values[k]!, [...here, "values", k], out));
        return;
      case "adecl":
        if ((s.init.k === "map" && !s.init.fn) || s.init.k === "from") exprCandidates(s.init.body, [...here, "init", "body"], out);
        return;
      case "rdecl":
        if (s.init.k === "lit") {
          const n = s.init.elems.length;
          if (n > 2) out.push({ what: `drop last element at ${here.join(".")}`, apply: (q) => void ((at(q, here) as Extract<Stmt, { k: "rdecl" }>).init as { elems: SVal[] }).elems.pop() });
          s.init.elems.forEach((e, k) => svalCandidates(e, [...here, "init", "elems", k], out));
        } else {
          if (s.init.k === "from" && s.init.length > 2) out.push({ what: `length := 2 at ${here.join(".")}`, apply: (q) => void (((at(q, here) as Extract<Stmt, { k: "rdecl" }>).init as { length: number }).length = 2) });
          svalCandidates(s.init.body, [...here, "init", "body"], out);
        }
        return;
      default:
        return;
    }
  });
}

/** Simplifications inside a structured value; its shape (and so the program's types) stays. */
function svalCandidates(v: SVal, path: Path, out: Candidate[]): void {
  const part = (x: Expr | Cond | SVal, at: Path): void => (isSVal(x) ? svalCandidates(x, at, out) : isCond(x) ? condCandidates(x, at, out) : exprCandidates(x, at, out));
  switch (v.k) {
    case "obj":
      v.fields.forEach((f, i) => part(f.value, [...path, "fields", i, "value"]));
      return;
    case "tup":
      v.items.forEach((x, i) => part(x, [...path, "items", i]));
      return;
    case "scall":
      v.args.forEach((a, i) => exprCandidates(a, [...path, "args", i], out));
      return;
    case "scond":
      out.push({ what: `replace ?: by its first structure at ${path.join(".")}`, apply: (q) => setAt(q, path, at(q, [...path, "a"])) });
      out.push({ what: `replace ?: by its second structure at ${path.join(".")}`, apply: (q) => setAt(q, path, at(q, [...path, "b"])) });
      condCandidates(v.test, [...path, "test"], out);
      return;
    default:
      return;
  }
}

function isFixed(s: Stmt): boolean {
  return (s.k === "if" || s.k === "return") && s.fixed === true;
}

function children(e: Expr): [Expr, Path][] {
  switch (e.k) {
    case "neg":
      return [[e.a, ["a"]]];
    case "bin":
      return [[e.a, ["a"]], [e.b, ["b"]]];
    case "math":
      return e.args.map((a, i) => [a, ["args", i]]);
    case "call":
      return e.args.flatMap((a, i): [Expr, Path][] => (e.fixed[i] ? [] : [[a, ["args", i]]]));
    case "cond":
      return [[e.a, ["a"]], [e.b, ["b"]]];
    case "index":
      return [];
    default:
      return [];
  }
}

/** The first number parameter of the function being visited. */
let param: string | undefined;

function exprCandidates(e: Expr, path: Path, out: Candidate[]): void {
  // A structure stays a structure (a number in its place would not type-check).
  if (e.k === "struct") return svalCandidates(e.v, [...path, "v"], out);
  if (e.k === "call") e.args.forEach((a, i) => a.k === "struct" && svalCandidates(a.v, [...path, "args", i, "v"], out));
  const kids = children(e);
  for (const [, rel] of kids) {
    out.push({ what: `replace ${e.k} by its operand at ${path.join(".")}`, apply: (q) => setAt(q, path, at(q, [...path, ...rel])) });
  }
  if (!(e.k === "num" && e.v === 1) && e.k !== "ref") out.push({ what: `replace ${e.k} by 1 at ${path.join(".")}`, apply: (q) => setAt(q, path, { k: "num", v: 1 }) });
  const p = param;
  if (p !== undefined && e.k !== "num" && !(e.k === "ref" && e.name === p)) {
    out.push({ what: `replace ${e.k} by ${p} at ${path.join(".")}`, apply: (q) => setAt(q, path, { k: "ref", name: p }) });
  }
  if (e.k === "num" && !Number.isInteger(e.v)) out.push({ what: `round ${e.v}`, apply: (q) => setAt(q, path, { k: "num", v: Math.round(e.v) || 1 }) });
  if (e.k === "cond") {
    condCandidates(e.test, [...path, "test"], out);
  }
  // Methods mode: inside a callback, and `reduce` loses its initial value.
  if (e.k === "reduce") {
    exprCandidates(e.body, [...path, "body"], out);
    if (e.init) exprCandidates(e.init, [...path, "init"], out);
  }
  if (e.k === "math" && (e.fn === "min" || e.fn === "max" || e.fn === "hypot") && e.args.length > 2) {
    e.args.forEach((_, i) => out.push({ what: `drop argument ${i} of ${e.fn}`, apply: (q) => void (at(q, [...path, "args"]) as Expr[]).splice(i, 1) }));
  }
  for (const [child, rel] of kids) exprCandidates(child, [...path, ...rel], out);
}

function condCandidates(c: Cond, path: Path, out: Candidate[]): void {
  if (c.k !== "bool") {
    out.push({ what: `condition := true at ${path.join(".")}`, apply: (q) => setAt(q, path, { k: "bool", v: true }) });
    out.push({ what: `condition := false at ${path.join(".")}`, apply: (q) => setAt(q, path, { k: "bool", v: false }) });
  }
  switch (c.k) {
    case "logic":
    case "beq":
      out.push({ what: `replace ${c.k} by left at ${path.join(".")}`, apply: (q) => setAt(q, path, at(q, [...path, "a"])) });
      out.push({ what: `replace ${c.k} by right at ${path.join(".")}`, apply: (q) => setAt(q, path, at(q, [...path, "b"])) });
      condCandidates(c.a, [...path, "a"], out);
      condCandidates(c.b, [...path, "b"], out);
      return;
    case "not":
      out.push({ what: `drop ! at ${path.join(".")}`, apply: (q) => setAt(q, path, at(q, [...path, "a"])) });
      condCandidates(c.a, [...path, "a"], out);
      return;
    case "cmp":
      exprCandidates(c.a, [...path, "a"], out);
      exprCandidates(c.b, [...path, "b"], out);
      return;
    case "quant":
      condCandidates(c.body, [...path, "body"], out);
      return;
    default:
      return;
  }
}

/** Whether `failure` is the same kind of failure as `original`. */
function sameFailure(original: Failure, failure: Failure): boolean {
  if (original.kind !== failure.kind) return false;
  if (original.kind === "gradient") {
    // Same way of being wrong: a NaN is not a wrong number, a jvp mismatch not a gradient one.
    const category = (m: string): string =>
      /grad NaN|= NaN|NaN but/.test(m) ? "nan" : /<grad, v>/.test(m) ? "jvp" : /finite differences/.test(m) ? "fd" : /mutated/.test(m) ? "mutation" : "value";
    return category(original.message) === category(failure.message);
  }
  // A rejection is only the same if the program still type-checks (say, no type declaration went missing).
  if (original.kind === "rejected" && /error TS\d/.test(failure.message)) return false;
  if (original.kind === "rejected" || original.kind === "internal-error" || original.kind === "ts-error") {
    // Same diagnostic code.
    const code = (m: string): string | undefined => /\b(TSG?\d+)\b/.exec(m)?.[1];
    return code(original.message) === code(failure.message);
  }
  return true;
}

export function reduceProgram(program: Program, failure: Failure, options: ReduceOptions = {}): Reduced {
  const maxChecks = options.maxChecks ?? 800;
  const deadline = performance.now() + (options.maxMillis ?? 180_000);
  let checks = 0;
  let current: Program = structuredClone(program);
  let currentFailure = failure;
  const extraPoints: Record<string, Arg[][]> = {};
  if (failure.fn && failure.point) extraPoints[failure.fn] = [failure.point];
  const checkOptions: CheckOptions = {
    pointSeed: options.pointSeed,
    extraPoints,
    determinism: failure.kind === "nondeterministic",
    wrt: failure.kind === "wrt",
    stopAtFirst: true,
    avoid: options.avoid,
    tamper: options.tamper,
    ...(options.hvp ? { hvp: true } : {}),
    ...(options.checkpoint ? { checkpoint: true } : {}),
  };
  const failsSame = (p: Program): Failure | undefined => {
    checks++;
    const source = printProgram(p, "// Reduced fuzz program.");
    const result = checkProgram(source, entriesOf(p), { ...checkOptions, primalJs: printProgramJs(p) });
    return result.failures.find((f) => sameFailure(failure, f));
  };
  let progress = true;
  while (progress && checks < maxChecks && performance.now() < deadline) {
    progress = false;
    for (const c of candidates(current)) {
      if (checks >= maxChecks || performance.now() >= deadline) break;
      const next = structuredClone(current);
      try {
        c.apply(next);
      } catch {
        continue;
      }
      const f = failsSame(next);
      if (f) {
        current = next;
        currentFailure = f;
        if (f.fn && f.point) extraPoints[f.fn] = [f.point];
        progress = true;
        break;
      }
    }
  }
  return { program: current, source: printProgram(current, `// Reduced from fuzz program ${program.seed}.`), failure: currentFailure, checks };
}

