/**
 * Where generated code comes from: `model.ts:12  const b = y - x * x;`, the comment above the
 * adjoint code of a statement, so that a reviewer can follow the reverse sweep line by line.
 */
import path from "node:path";
import ts from "typescript";
import type { Stmt } from "../ir/nodes.js";

/** Longest source text quoted; longer lines end in an ellipsis. */
const MAX_QUOTE = 90;

/** The file, line and text of the source line a statement was lowered from. */
export function sourceLine(node: ts.Node): string {
  const file = node.getSourceFile();
  const { line } = file.getLineAndCharacterOfPosition(node.getStart(file));
  const starts = file.getLineStarts();
  const end = line + 1 < starts.length ? starts[line + 1]! : file.text.length;
  // The statement's own text: a trailing comment after it is left out.
  let statement = node;
  while (statement.parent && !ts.isBlock(statement.parent) && !ts.isSourceFile(statement.parent)) statement = statement.parent;
  const trailing = ts.getTrailingCommentRanges(file.text, statement.getEnd())?.[0];
  const stop = trailing && trailing.pos < end ? trailing.pos : end;
  let text = file.text.slice(starts[line]!, stop).trim().replace(/\s+/g, " ");
  if (text.length > MAX_QUOTE) text = `${text.slice(0, MAX_QUOTE - 1)}…`;
  return `${path.basename(file.fileName)}:${line + 1}  ${text}`;
}

/**
 * Puts a source-line comment above `code`, the generated code of `s`, unless `out` (the list the
 * code goes into) already ends with code from the same line.
 */
export function withSourceLine(s: Stmt, code: Stmt[], lastComment: { text: string | undefined }): Stmt[] {
  const node = "node" in s ? s.node : undefined;
  if (!node || code.length === 0) return code;
  const text = sourceLine(node);
  if (text === lastComment.text) return code;
  lastComment.text = text;
  return [{ k: "comment", text, sourceLine: true, origin: node }, ...code];
}
