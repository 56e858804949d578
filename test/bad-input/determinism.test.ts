/**
 * Determinism through the CLI (SPEC section 1: byte-identical output for identical input): the
 * same source compiled twice, from different working directories, by relative and absolute
 * paths, from copies in different directories, under different locales and time zones, and
 * in a run with other inputs, gives the same bytes; and `--check` accepts what was written.
 *
 * The CLI runs in process (see ../helpers/cli.ts), except under another locale and time zone:
 * those are read when a process starts, so that run is the built binary in a child process with
 * LANG, LC_ALL and TZ set (started first, and awaited after the in-process runs).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assertBuilt, repoRoot, runBin, runCli, tempDir } from "./cli.js";

beforeAll(() => {
  assertBuilt();
});

/** Fixtures with loops, branches, calls and recursion (the tape, exit codes, helper routines). */
const sources = ["loops.ts", "calls.ts", "recursion.ts"].map((f) => path.join(repoRoot, "fixtures", f));

describe("determinism (CLI)", () => {
  for (const source of sources.slice(0, 2)) {
    const name = path.basename(source);
    it(`${name}: same bytes from different directories, paths, copies and environments`, async () => {
      const text = fs.readFileSync(source, "utf8");
      const a = tempDir("det-a");
      const b = tempDir("det-b");
      fs.mkdirSync(path.join(b, "deeper/still"), { recursive: true });
      fs.writeFileSync(path.join(a, name), text);
      fs.writeFileSync(path.join(b, "deeper/still", name), text);
      const outputs: Record<string, string> = {};
      const record = (label: string, r: { status: number | null; stderr: string }, cwd: string, out: string): void => {
        expect(r.status, `${label}: ${r.stderr}`).toBe(0);
        outputs[label] = fs.readFileSync(path.resolve(cwd, out), "utf8");
      };
      const run = async (label: string, args: string[], cwd: string, out: string): Promise<void> => {
        record(label, await runCli(["compile", ...args, "-o", out], cwd), cwd, out);
      };
      const otherEnvironment = runBin(["compile", name, "-o", "five.grad.ts"], a, {
        env: { ...process.env, LANG: "de_DE.UTF-8", LC_ALL: "de_DE.UTF-8", TZ: "Pacific/Chatham" },
      });
      await run("relative path, cwd = its directory", [name], a, "one.grad.ts");
      await run("absolute path, cwd = /", [path.join(a, name)], "/", path.join(a, "two.grad.ts"));
      await run("path through ..", [path.join("..", path.basename(a), name)], b, path.join(b, "three.grad.ts"));
      await run("a copy elsewhere", [path.join("deeper/still", name)], b, "four.grad.ts");
      record("other locale and time zone (built binary)", await otherEnvironment, a, "five.grad.ts");
      const reference = outputs["relative path, cwd = its directory"]!;
      expect(reference.length).toBeGreaterThan(100);
      for (const [label, code] of Object.entries(outputs)) expect(code, label).toBe(reference);

      // The default output (beside the source) is the same, and --check accepts it.
      const r = await runCli(["compile", name], a);
      expect(r.status, r.stderr).toBe(0);
      expect(fs.readFileSync(path.join(a, name.replace(/\.ts$/, ".grad.ts")), "utf8")).toBe(reference);
      const check = await runCli(["compile", name, "--check"], a);
      expect(check.status, check.stderr + check.stdout).toBe(0);
      fs.rmSync(a, { recursive: true, force: true });
      fs.rmSync(b, { recursive: true, force: true });
    });
  }

  it("a directory compiled alone and together with other inputs gives the same bytes per file", async () => {
    const a = tempDir("det-dir");
    fs.mkdirSync(path.join(a, "src"));
    for (const s of sources) fs.writeFileSync(path.join(a, "src", path.basename(s)), fs.readFileSync(s, "utf8"));
    const together = await runCli(["compile", "src", "--out-dir", "together"], a);
    expect(together.status, together.stderr).toBe(0);
    for (const s of sources) {
      const name = path.basename(s);
      const alone = await runCli(["compile", path.join("src", name), "--out-dir", "alone"], a);
      expect(alone.status, alone.stderr).toBe(0);
      const grad = name.replace(/\.ts$/, ".grad.ts");
      expect(fs.readFileSync(path.join(a, "alone", grad), "utf8"), name).toBe(fs.readFileSync(path.join(a, "together", grad), "utf8"));
    }
    fs.rmSync(a, { recursive: true, force: true });
  });
});
