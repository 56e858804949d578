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

/** Per generated line of `mappings`, the source line (0-based) of its first segment, or undefined. */
export function firstSourceLines(mappings: string): (number | undefined)[] {
  return decodeSegments(mappings).map((s) => s?.line);
}

/**
 * The map of `js`, the generated module with its types erased, to the user's source: each line of
 * `js` goes, through `jsToTs` (TypeScript's map of the erasure, line by line), to the line of the
 * TypeScript module whose source statement `tsMap` names.
 */
export function composeThroughErasure(js: string, jsToTs: string, tsMap: SourceMapV3): SourceMapV3 {
  const tsLines = firstSourceLines(tsMap.mappings);
  const segments = decodeSegments(tsMap.mappings);
  const jsLines = firstSourceLines(jsToTs);
  let previousSource = 0;
  let previousLine = 0;
  let previousColumn = 0;
  const mappings = js.split("\n").map((text, i) => {
    const tsLine = jsLines[i];
    const target = tsLine === undefined || tsLines[tsLine] === undefined ? undefined : segments[tsLine];
    if (!target || text.trim() === "") return "";
    const segment = vlq(text.length - text.trimStart().length) + vlq(target.source - previousSource) + vlq(target.line - previousLine) + vlq(target.column - previousColumn);
    previousSource = target.source;
    previousLine = target.line;
    previousColumn = target.column;
    return segment;
  });
  return { ...tsMap, mappings: mappings.join(";") };
}

/**
 * Per generated line, the source, line and column (absolute) of its first segment that maps to a
 * source. Every segment is read: each field is a delta from the segment before it, wherever it is.
 */
function decodeSegments(mappings: string): ({ source: number; line: number; column: number } | undefined)[] {
  let source = 0;
  let line = 0;
  let column = 0;
  return mappings.split(";").map((text) => {
    let first: { source: number; line: number; column: number } | undefined;
    for (const segment of text.split(",")) {
      if (segment === "") continue;
      const fields: number[] = [];
      let value = 0;
      let shift = 0;
      for (const ch of segment) {
        const digit = BASE64.indexOf(ch);
        value += (digit & 31) << shift;
        if (digit & 32) {
          shift += 5;
          continue;
        }
        fields.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
      // (A segment of one field maps to nothing; the others carry source, line and column deltas.)
      if (fields.length < 4) continue;
      source += fields[1]!;
      line += fields[2]!;
      column += fields[3]!;
      first ??= { source, line, column };
    }
    return first;
  });
}
