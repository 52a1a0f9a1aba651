// `condensa` entry (bin/condensa.js calls it): --version, --help (global and per subcommand, on stdout,
// exit 0), dispatch to the command table, and exit codes: 0 success, 1 a failure (a claim, a run, a
// file), 2 a usage error.
import { COMMANDS } from './commands.js';
import { condensaVersion } from './version.js';
import { parseCommand, helpText, usageLine, UsageError, type CommandDef } from './options.js';
import type { SuiteRegistry } from '../suite/define.js';

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return (
    [
      'usage: condensa <command> [options]',
      '',
      'Reproduces and asserts the condensation results of deep-learning theory on WASM SIMD and WebGPU.',
      '',
      'commands:',
      ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary.split('. ')[0].replace(/\.$/, '')}`),
      '',
      "condensa <command> --help shows a command's options; condensa --version its version.",
    ].join('\n') + '\n'
  );
}

/** The command named by the first one or two words of argv, and the arguments after them. */
function findCommand(argv: string[]): { def: CommandDef; rest: string[] } | undefined {
  const two = COMMANDS.find((c) => c.name === `${argv[0]} ${argv[1]}`);
  if (two) return { def: two, rest: argv.slice(2) };
  const one = COMMANDS.find((c) => c.name === argv[0]);
  return one ? { def: one, rest: argv.slice(1) } : undefined;
}

/** Run the command argv names; `suites` loads the suite registry when a command needs it. */
export async function main(argv: string[], suites: SuiteRegistry): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    process.stdout.write(overview());
    return 0;
  }
  if (argv[0] === '--version' || argv[0] === '-v') {
    process.stdout.write(`${condensaVersion()}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${argv[0]} `));
    const hint = group.length ? `\n${group.map((c) => `  ${usageLine(c)}`).join('\n')}` : '\n(condensa --help lists the commands)';
    if (group.length && (argv[1] === '--help' || argv[1] === undefined)) {
      process.stdout.write(`usage:${hint}\n`);
      return argv[1] === '--help' ? 0 : 2;
    }
    throw new UsageError(`unknown command "${argv.slice(0, group.length ? 2 : 1).join(' ')}"${hint}`);
  }
  const { def, rest } = found;
  const helpAt = rest.indexOf('--help'),
    cut = rest.indexOf('--');
  if (helpAt >= 0 && (cut < 0 || helpAt < cut)) {
    process.stdout.write(helpText(def));
    return 0;
  }
  return def.run({ ...parseCommand(def, rest, ['condensa', ...argv].join(' ')), suites });
}

export function exitWith(promise: Promise<number>): void {
  promise.then(
    (code) => process.exit(code),
    (err: Error) => {
      if (!(err instanceof UsageError)) console.error(`condensa: ${err.message}`);
      else
        console.error(err.command ? `${err.message}\nusage: ${usageLine(err.command)} (condensa ${err.command.name} --help lists the options)` : err.message);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
