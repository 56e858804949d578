/**
 * IR -> TypeScript text. One statement per line, two-space indentation, the fewest parentheses
 * that keep the meaning, and a few sugars that make generated code read like hand-written code
 * (`x += e` for `x = x + e`, `else if` chains, `i++`).
 */
import ts from "typescript";
import { typedArrayName, type Expr, type Stmt, type Type, type Var } from "../ir/nodes.js";
import { typeText } from "../frontend/types.js";
import { sameExpr } from "../ir/walk.js";
import type { Namer } from "../ad/names.js";

const PREC = {
  cond: 4,
  coalesce: 5,
  "||": 5,
  "&&": 6,
  equality: 10,
  relational: 11,
  additive: 13,
  multiplicative: 14,
  "**": 15,
  unary: 16,
  postfix: 19,
  primary: 20,
} as const;

function binaryPrec(op: string): number {
  switch (op) {
    case "+":
    case "-":
      return PREC.additive;
    case "*":
    case "/":
    case "%":
      return PREC.multiplicative;
    case "**":
      return PREC["**"];
    case "===":
    case "!==":
      return PREC.equality;
    default:
      return PREC.relational;
  }
}

export function printNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

/**
 * The statement of the source a node belongs to: the node itself, or its ancestor that stands
 * in a block (a declaration's statement, a `for` loop for its initializer and for a body
 * without braces).
 */
function sourceStatement(node: ts.Node): ts.Node {
  let n = node;
  while (n.parent && !ts.isBlock(n.parent) && !ts.isSourceFile(n.parent) && !ts.isModuleBlock(n.parent) && !isExpressionBody(n)) n = n.parent;
  return n;
}

/** The body of `(...) => expr`: its comments are its own, not those above the declaration. */
function isExpressionBody(n: ts.Node): boolean {
  return ts.isArrowFunction(n.parent) && n.parent.body === n;
}

/** The lines of a comment, with the indentation of a block comment's continuation lines removed. */
function commentLines(text: string): string[] {
  const lines = text.split(/\r?\n/);
  return lines.map((l, i) => {
    if (i === 0) return l.trimEnd();
    const trimmed = l.trim();
    return trimmed.startsWith("*") ? ` ${trimmed}` : trimmed;
  });
}

function isTapePush(s: Stmt): s is Extract<Stmt, { k: "expr" }> {
  return s.k === "expr" && s.e.k === "runtime" && s.e.fn.startsWith("tape.push");
}

/** `length` zeros in an array of representation `repr`: `new Float64Array(n)`, `new Array<number>(n).fill(0)`. */
export function zerosText(repr: "array" | "f64" | "f32", length: string): string {
  return repr !== "array" ? `new ${typedArrayName(repr)}(${length})` : `new Array<number>(${length}).fill(0)`;
}

/** Zeros shaped like the value `of` of type `t`: `0`, a vector of its length, a matrix row by row. */
export function zerosLikeText(t: Type, of: string): string {
  if (t.kind === "vector") return zerosText(t.repr, `${of}.length`);
  if (t.kind === "matrix") return `${of}.map((row) => ${zerosText(t.rows, "row.length")})`;
  return "0";
}

export class Printer {
  private lines: string[] = [];
  /**
   * Per printed line, the source node it comes from (undefined for lines of no one statement):
   * the statement being printed, or below a `file.ts:12` comment the statement it names.
   */
  readonly origins: (ts.Node | undefined)[] = [];
  private origin: ts.Node | undefined;
  private depth = 0;
  /** Source statements whose comments this function already shows. */
  private readonly commented = new Set<ts.Node>();

  constructor(
    private readonly names: Namer,
    /** Runtime exports imported under another name (`softmax` -> `rt_softmax`). */
    private readonly runtimeAliases: ReadonlyMap<string, string> = new Map(),
  ) {}

  /** How a runtime function (`dot`, `tape.push`, `tape.popObject<T>`) is called here. */
  private runtimeName(fn: string): string {
    const base = /^[A-Za-z_$][\w$]*/.exec(fn)?.[0] ?? fn;
    const alias = this.runtimeAliases.get(base);
    return alias === undefined ? fn : alias + fn.slice(base.length);
  }

  name(v: Var): string {
    return this.names.of(v);
  }

  typeOf(t: Type): string {
    return typeText(t);
  }

  // ------------------------------------------------------------ expressions

  expr(e: Expr, minPrec = 0): string {
    const [text, prec] = this.exprWithPrec(e);
    return prec < minPrec ? `(${text})` : text;
  }

  private exprWithPrec(e: Expr): [string, number] {
    switch (e.k) {
      case "num": {
        if (e.text !== undefined) return [e.text, e.text.startsWith("-") ? PREC.unary : PREC.primary];
        const text = printNumber(e.value);
        return [text, text.startsWith("-") ? PREC.unary : PREC.primary];
      }
      case "bool":
        return [String(e.value), PREC.primary];
      case "str":
        return [JSON.stringify(e.value), PREC.primary];
      case "var":
        // An optional number is read where the source knows it is given; flags and strings are
        // read as they are, undefined included.
        return e.v.optional && e.v.type.kind === "number" ? [`${this.name(e.v)}!`, PREC.postfix] : [this.name(e.v), PREC.primary];
      case "raw":
        return [e.text, PREC.postfix];
      case "neg": {
        // `- -x` needs a space; `-(-x)` reads better.
        const inner = this.expr(e.a, PREC.unary);
        return [inner.startsWith("-") ? `-(${inner})` : `-${inner}`, PREC.unary];
      }
      case "not":
        return [`!${this.expr(e.a, PREC.unary)}`, PREC.unary];
      case "binary":
      case "compare": {
        const prec = binaryPrec(e.op);
        // Whether an optional parameter is given: `scale !== undefined`.
        if (e.k === "compare" && e.a.k === "var" && e.a.v.optional && e.b.k === "raw") return [`${this.name(e.a.v)} ${e.op} ${e.b.text}`, prec];
        // Whether there is an element at an index (`ys[i] ?? 0`): `ys[i] !== undefined`.
        if (e.k === "compare" && e.a.k === "index" && e.b.k === "raw" && e.b.text === "undefined") return [`${this.elementTarget(e.a.array, e.a.index)} ${e.op} undefined`, prec];
        if (e.op === "**") {
          // Right-associative; a unary operand on the left needs parentheses in JS.
          return [`${this.expr(e.a, PREC.postfix)} ** ${this.expr(e.b, prec)}`, prec];
        }
        return [`${this.expr(e.a, prec)} ${e.op} ${this.expr(e.b, prec + 1)}`, prec];
      }
      case "logical": {
        const prec = PREC[e.op];
        return [`${this.expr(e.a, prec)} ${e.op} ${this.expr(e.b, prec + 1)}`, prec];
      }
      case "coalesce":
        return [`${this.expr(e.a, PREC.postfix)} ?? ${this.expr(e.b, PREC.coalesce + 1)}`, PREC.coalesce];
      case "cond":
        return [`${this.expr(e.test, PREC.cond + 1)} ? ${this.expr(e.a, PREC.cond)} : ${this.expr(e.b, PREC.cond)}`, PREC.cond];
      case "math":
        return [`Math.${e.fn}(${e.args.map((a) => this.expr(a)).join(", ")})`, PREC.postfix];
      case "call":
        return [`${this.names.fn(e.fn)}(${e.args.map((a) => this.expr(a)).join(", ")})`, PREC.postfix];
      case "runtime":
        return [`${this.runtimeName(e.fn)}(${e.args.map((a) => this.expr(a)).join(", ")})`, PREC.postfix];
      case "index":
        // `!`: generated code type-checks under noUncheckedIndexedAccess too.
        return [`${this.elementTarget(e.array, e.index)}!`, PREC.postfix];
      case "length":
        return [`${this.expr(e.array, PREC.postfix)}.length`, PREC.postfix];
      case "field":
        // A tuple element is a numeric member: `t[0]`, `t?.[0]`.
        if (/^\d+$/.test(e.name)) return [`${this.expr(e.object, PREC.postfix)}${e.optional ? "?." : ""}[${e.name}]`, PREC.postfix];
        return [`${this.expr(e.object, PREC.postfix)}${e.optional ? "?." : "."}${e.name}`, PREC.postfix];
      case "alloc":
        return [this.alloc(e.type, e.length, e.inner), PREC.postfix];
      case "zerosLike":
        return [this.zerosLike(e.type, e.of), PREC.postfix];
      case "copy":
        return [`${this.expr(e.of, PREC.postfix)}.slice()`, PREC.postfix];
      case "arrayLit":
        // An empty array (one that grows by push) is typed: `[]` alone would be any[].
        if (e.elements.length === 0) return ["new Array<number>()", PREC.primary];
        return [`[${e.elements.map((x) => this.expr(x)).join(", ")}]`, PREC.primary];
      case "object": {
        if (e.fields.length === 0) return ["{}", PREC.primary];
        const fields = e.fields.map((f) => {
          const value = this.expr(f.value);
          return value === f.name ? f.name : `${f.name}: ${value}`;
        });
        return [`{ ${fields.join(", ")} }`, PREC.primary];
      }
      case "column":
        return [`${e.inactive ? "Array" : "Float64Array"}.from(${this.expr(e.rows)}, (item) => item${e.path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join("")})`, PREC.postfix];
      case "rowsLike":
        return [`Array.from(${this.expr(e.of)}, (${e.index ? `_, ${this.name(e.index)}` : ""}) => ${e.element.k === "object" ? `(${this.expr(e.element)})` : this.expr(e.element)})`, PREC.postfix];
    }
  }

  /** `a[i]` as an assignment target. */
  private elementTarget(array: Expr, index: Expr): string {
    return `${this.expr(array, PREC.postfix)}[${this.expr(index)}]`;
  }

  private zerosLike(type: Type, of: Expr): string {
    return zerosLikeText(type, this.expr(of, PREC.postfix));
  }

  private alloc(type: Type, length: Expr, inner?: Expr): string {
    const n = this.expr(length);
    if (type.kind === "vector") return zerosText(type.repr, n);
    if (type.kind === "matrix") return `Array.from({ length: ${n} }, () => ${zerosText(type.rows, inner ? this.expr(inner) : "0")})`;
    return "0";
  }

  // ------------------------------------------------------------ statements

  line(text: string): void {
    this.lines.push(text === "" ? "" : "  ".repeat(this.depth) + text);
    this.origins.push(this.origin);
  }

  indent(): void {
    this.depth++;
  }

  dedent(): void {
    this.depth--;
  }

  text(): string {
    return this.lines.join("\n");
  }

  stmts(list: readonly Stmt[]): void {
    const outer = this.origin;
    list.forEach((s, i) => {
      // Code below a source-line comment, and a statement lowered from the source, come from it.
      if (s.k === "comment" && s.origin) this.origin = s.origin;
      else if ("node" in s && s.node) this.origin = s.node;
      // Values a statement overwrites are recorded just before it: its comments go above that.
      if (isTapePush(s) && !("node" in s && s.node)) {
        let j = i;
        while (j < list.length && isTapePush(list[j]!) && !(list[j] as { node?: ts.Node }).node) j++;
        const next = list[j];
        if (next && "node" in next && next.node) {
          this.sourceComments(next.node);
          this.origin = next.node;
        }
      }
      this.stmt(s);
    });
    this.origin = outer;
  }

  /** A statement as a string without the trailing semicolon (for `for` headers). */
  private simple(s: Stmt): string {
    switch (s.k) {
      case "assign": {
        const target = this.name(s.target);
        const decl = s.declare ? `${s.declare} ` : "";
        if (!s.declare) {
          const sugar = this.compound(s.value, { k: "var", v: s.target }, target);
          if (sugar) return sugar;
        }
        return `${decl}${target} = ${this.expr(s.value)}`;
      }
      case "store": {
        const target = this.elementTarget(s.array, s.index);
        const sugar = this.compound(s.value, { k: "index", array: s.array, index: s.index }, `${target}!`);
        return sugar ?? `${target} = ${this.expr(s.value)}`;
      }
      case "accumulateField": {
        // `grad.p.x`, or `g[0]` for a tuple element.
        const target = `${this.name(s.object)}${s.name.startsWith("[") ? "" : "."}${s.name}`;
        if (s.value.k === "neg") return `${target} -= ${this.expr(s.value.a)}`;
        return `${target} += ${this.expr(s.value)}`;
      }
      case "accumulate":
        if (s.value.k === "neg") return `${this.name(s.target)} -= ${this.expr(s.value.a)}`;
        return `${this.name(s.target)} += ${this.expr(s.value)}`;
      case "accumulateElement": {
        const target = `${this.elementTarget(s.array, s.index)}!`;
        if (s.value.k === "neg") return `${target} -= ${this.expr(s.value.a)}`;
        return `${target} += ${this.expr(s.value)}`;
      }
      case "expr":
        return this.expr(s.e);
      case "declare": {
        const init = s.init ? this.expr(s.init) : this.zero(s.v.type);
        // Arrays declared ahead of their first real value carry their type explicitly.
        const annotation = s.annotation !== undefined ? `: ${s.annotation}` : s.mutable && (s.v.type.kind === "vector" || s.v.type.kind === "matrix") ? `: ${this.typeOf(s.v.type)}` : "";
        return `${s.mutable ? "let" : "const"} ${this.name(s.v)}${annotation} = ${init}`;
      }
      default:
        throw new Error(`not a simple statement: ${s.k}`);
    }
  }

  /** `x = x + e` -> `x += e`, `x = x + 1` -> `x++`. */
  private compound(value: Expr, target: Expr, text: string): string | undefined {
    if (value.k !== "binary" || !sameExpr(value.a, target)) return undefined;
    if (value.op === "%") return undefined;
    if ((value.op === "+" || value.op === "-") && value.b.k === "num" && value.b.value === 1 && value.b.text === undefined) {
      return `${text}${value.op}${value.op}`;
    }
    return `${text} ${value.op}= ${this.expr(value.b)}`;
  }

  zero(t: Type): string {
    switch (t.kind) {
      case "number":
        return "0";
      case "boolean":
        return "false";
      default:
        return "null";
    }
  }

  /**
   * The comments above the source statement `node` belongs to, the first time a statement of
   * it is printed in this function.
   */
  private sourceComments(node: ts.Node): void {
    const statement = sourceStatement(node);
    if (this.commented.has(statement)) return;
    this.commented.add(statement);
    const text = statement.getSourceFile().text;
    for (const range of ts.getLeadingCommentRanges(text, statement.getFullStart()) ?? []) {
      for (const line of commentLines(text.slice(range.pos, range.end))) this.line(line);
    }
  }

  stmt(s: Stmt): void {
    if ("node" in s && s.node) this.sourceComments(s.node);
    switch (s.k) {
      case "assign":
      case "store":
      case "accumulate":
      case "accumulateField":
      case "accumulateElement":
      case "expr":
      case "declare":
        this.line(`${this.simple(s)};`);
        return;
      case "comment":
        this.line(`// ${s.text}`);
        return;
      case "if":
        this.ifChain(s, "");
        return;
      case "loop": {
        const label = s.loop.label ? `${s.loop.label}: ` : "";
        if (s.kind === "while") {
          this.line(`${label}while (${s.test ? this.expr(s.test) : "true"}) {`);
        } else if (s.kind === "do") {
          this.line(`${label}do {`);
        } else {
          // An initializer a `for` header cannot hold (declarations mixed with other statements,
          // as when the tidy pass keeps a bare `tape.pop()`): before the loop, in a block that
          // scopes its declarations as the header would.
          if (!this.fitsForHeader(s.init)) {
            this.line("{");
            this.indent();
            this.stmts(s.init);
            this.stmt({ ...s, init: [] });
            this.dedent();
            this.line("}");
            return;
          }
          const init = this.forInit(s.init);
          const update = s.update.map((u) => this.simple(u)).join(", ");
          this.line(`${label}for (${init}; ${s.test ? this.expr(s.test) : ""}; ${update}) {`);
        }
        this.block(s.body);
        this.line(s.kind === "do" ? `} while (${s.test ? this.expr(s.test) : "true"});` : "}");
        return;
      }
      case "rawFor": {
        const init = s.init ? this.simple(s.init) : "";
        const update = s.update ? this.simple(s.update) : "";
        this.line(`for (${init}; ${s.test ? this.expr(s.test) : ""}; ${update}) {`);
        this.block(s.body);
        this.line("}");
        return;
      }
      case "break":
        this.line(s.loop.label ? `break ${s.loop.label};` : "break;");
        return;
      case "continue":
        this.line(s.loop.label ? `continue ${s.loop.label};` : "continue;");
        return;
      case "return":
        this.line(`return ${this.expr(s.value)};`);
        return;
      case "genReturn":
        this.line(s.value ? `return ${this.expr(s.value)};` : "return;");
        return;
      case "block":
        this.line(`${s.label}: {`);
        this.block(s.body);
        this.line("}");
        return;
      case "exitBlock":
        this.line(`break ${s.label};`);
        return;
    }
  }

  /** One declaration list (`let i = 0, j = n`) or expressions only (`i = 0, tape.pop()`). */
  private fitsForHeader(init: readonly Stmt[]): boolean {
    const first = init[0];
    if (!first) return true;
    if (first.k === "assign" && first.declare) return init.every((x) => x.k === "assign" && x.declare === first.declare);
    return init.every((x) => (x.k === "assign" && !x.declare) || x.k === "expr" || x.k === "store");
  }

  private forInit(init: readonly Stmt[]): string {
    if (init.length === 0) return "";
    const first = init[0]!;
    if (first.k === "assign" && first.declare && init.every((s) => s.k === "assign" && s.declare === first.declare)) {
      const parts = init.map((s) => {
        const a = s as Extract<Stmt, { k: "assign" }>;
        return `${this.name(a.target)} = ${this.expr(a.value)}`;
      });
      return `${first.declare} ${parts.join(", ")}`;
    }
    return init.map((s) => this.simple(s)).join(", ");
  }

  private block(body: readonly Stmt[]): void {
    this.indent();
    this.stmts(body);
    this.dedent();
  }

  private ifChain(s: Extract<Stmt, { k: "if" }>, prefix: string): void {
    this.line(`${prefix}if (${this.expr(s.test)}) {`);
    this.block(s.then);
    if (s.else.length === 0) {
      this.line("}");
      return;
    }
    const only = s.else[0];
    if (s.else.length === 1 && only && only.k === "if") {
      // Print `} else if (...) {` by starting the nested chain on the closing line.
      const before = this.lines.length;
      this.ifChain(only, "");
      const opened = this.lines[before]!;
      this.lines[before] = `${"  ".repeat(this.depth)}} else ${opened.trimStart()}`;
      return;
    }
    this.line("} else {");
    this.block(s.else);
    this.line("}");
  }
}
