/**
 * The GradBench tool: reads the eval's messages from standard input, one per line, and writes
 * the responses to standard output, one per line (nothing else goes there).
 * Build: `node tools/gradbench/build.mjs` -> tools/gradbench/dist/run.mjs.
 */
import { createInterface } from "node:readline";
import { modules } from "./modules.js";
import { type Message, respond } from "./protocol.js";

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (line.trim() === "") continue;
  process.stdout.write(`${JSON.stringify(respond(JSON.parse(line) as Message, modules))}\n`);
}
