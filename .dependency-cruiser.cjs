// The import rules of the project, checked in `npm test` (`npm run lint:imports`): no cycles; nothing under
// src/ imports the suites (the CLI's entry hands their registry in); science reads no engine
// (it takes the f64 kernels it needs as a parameter); reports never import the bench (the bench row type
// is the report schema's); the engine imports neither suites' machinery nor reports. Type-only imports count.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'an import cycle: split the shared part into its own module', from: {}, to: { circular: true } },
    {
      name: 'src-not-suites',
      severity: 'error',
      comment: 'src/ never imports suites/: the CLI entry (bin/condensa.js) hands the registry in',
      from: { path: '^src/' },
      to: { path: '^suites/' },
    },
    {
      name: 'science-no-engines',
      severity: 'error',
      comment: 'science takes the kernels it needs as parameters',
      from: { path: '^src/science/' },
      to: { path: '^src/(wasm|webgpu)/' },
    },
    {
      name: 'report-not-bench',
      severity: 'error',
      comment: 'the bench row type belongs to the report schema',
      from: { path: '^src/report/' },
      to: { path: '^src/bench/' },
    },
    {
      name: 'engine-not-suite-or-report',
      severity: 'error',
      comment: 'the engine trains; suites and reports read it',
      from: { path: '^src/engine/' },
      to: { path: '^src/(suite|report)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
