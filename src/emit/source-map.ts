/**
 * Source maps of generated modules (CompileOptions.sourceMap, used by the bundler plugins): each
 * generated line that comes from one source statement (a statement copied into the forward
 * sweep, or the adjoint code below a `model.ts:12` comment) maps, from its first non-blank
 * character, to the start of that statement. A debugger stepping through a gradient then shows
 * the line of the model being differentiated. Format: Source Map Revision 3, one segment per
 * mapped line, Base64 VLQ.
 */
import path from "node:path";
import type ts from "typescript";
import type { SourceMapV3 } from "../api-types.js";


const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** One signed integer in Base64 VLQ: the sign in the lowest bit, then 5 bits per digit, low first. */
export function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = "";
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) digit |= 32;
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/**
 * The map of `code`, whose line i comes from `origins[i]` (or from nothing). `file`: the generated
 * module's path; sources are named relative to its directory.
 */
export function sourceMapOf(code: string, origins: readonly (ts.Node | undefined)[], file: string): SourceMapV3 {
  const lines = code.split("\n");
  const sources: string[] = [];
  const contents: string[] = [];
  const indexOf = new Map<string, number>();
  // Fields are deltas from the previous segment (the generated column from the line's start).
  let previousSource = 0;
  let previousLine = 0;
  let previousColumn = 0;
  const mapped = lines.map((text, i) => {
    const node = origins[i];
    if (!node || text.trim() === "") return "";
    const sf = node.getSourceFile();
    let source = indexOf.get(sf.fileName);
    if (source === undefined) {
      source = sources.length;
      indexOf.set(sf.fileName, source);
      sources.push(path.relative(path.dirname(file), sf.fileName).split(path.sep).join("/"));
      contents.push(sf.text);
    }
    const at = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    const segment = vlq(text.length - text.trimStart().length) + vlq(source - previousSource) + vlq(at.line - previousLine) + vlq(at.character - previousColumn);
    previousSource = source;
    previousLine = at.line;
    previousColumn = at.character;
    return segment;
  });
  return { version: 3, file: path.basename(file), sources, sourcesContent: contents, names: [], mappings: mapped.join(";") };
}
