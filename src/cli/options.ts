// The option tables of `condensa` subcommands and what is made of them: node:util parseArgs settings,
// the `--help` text (defaults and allowed values shown), and usage errors for unknown options, missing
// arguments and values outside a list (exit code 2, as the main entry maps UsageError).
import { parseArgs } from 'node:util';
import type { SuiteRegistry } from '../suite/define.js';

interface OptionDef {
  type: 'string' | 'boolean';
  help: string;
  default?: string | boolean;
  multiple?: boolean;
  /** the values a string option accepts; anything else is a usage error */
  choices?: readonly string[];
  /** placeholder in the help text, e.g. PATH */
  arg?: string;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandInput {
  /** the suites `condensa suite` selects from (handed in by the entry) */
  suites: SuiteRegistry;
  values: OptionValues;
  positionals: string[];
  /** what followed `--`, for commands that pass it on */
  passed: string[];
  /** the command as the user typed it (recorded in results) */
  typed: string;
}

export interface CommandDef {
  /** e.g. "suite" or "report merge" */
  name: string;
  summary: string;
  /** positional arguments in the usage line, e.g. "SPEC.json" */
  args?: string;
  /** least and most positionals (default 0 and 0) */
  positionals?: [number, number];
  options: Record<string, OptionDef>;
  /** a line on what `--` passes on, for commands that accept it */
  passThrough?: string;
  examples?: string[];
  run(input: CommandInput): Promise<number>;
}

/** A mistake in how the command was typed: exit 2, with the usage line on stderr. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandDef,
  ) {
    super(message);
  }
}

export function parseCommand(def: CommandDef, args: string[], typed: string): Omit<CommandInput, 'suites'> {
  const cut = def.passThrough ? args.indexOf('--') : -1;
  const own = cut < 0 ? args : args.slice(0, cut);
  const passed = cut < 0 ? [] : args.slice(cut + 1);
  let parsed: { values: OptionValues; positionals: string[] };
  try {
    parsed = parseArgs({
      args: own,
      allowPositionals: true,
      strict: true,
      options: Object.fromEntries(
        Object.entries(def.options).map(([k, o]) => [
          k,
          { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.default !== undefined ? { default: o.default as never } : {}) },
        ]),
      ),
    }) as { values: OptionValues; positionals: string[] };
  } catch (err) {
    throw new UsageError(`condensa ${def.name}: ${(err as Error).message.split('. ')[0]}`, def);
  }
  for (const [k, o] of Object.entries(def.options)) {
    const v = parsed.values[k];
    if (!o.choices || v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      if (!o.choices.includes(String(one))) throw new UsageError(`condensa ${def.name}: unknown --${k} "${one}" (expected ${o.choices.join(', ')})`, def);
    }
  }
  const [least, most] = def.positionals ?? [0, 0];
  const n = parsed.positionals.length;
  if (n < least || n > most) {
    const what = def.args ?? 'no arguments';
    throw new UsageError(`condensa ${def.name}: expects ${what}, got ${n === 0 ? 'none' : parsed.positionals.map((p) => JSON.stringify(p)).join(' ')}`, def);
  }
  return { values: parsed.values, positionals: parsed.positionals, passed, typed };
}

export function usageLine(def: CommandDef): string {
  return `condensa ${def.name}${def.args ? ` ${def.args}` : ''} [options]${def.passThrough ? ' [-- …]' : ''}`;
}

export function helpText(def: CommandDef): string {
  const rows = Object.entries(def.options).map(([k, o]) => {
    const flag = `--${k}${o.type === 'string' ? ` ${o.arg ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`;
    const notes = [o.multiple ? 'repeatable' : '', o.default !== undefined && o.default !== false ? `default: ${o.default}` : ''].filter(Boolean).join('; ');
    return [flag, `${o.help}${notes ? ` (${notes})` : ''}`];
  });
  rows.push(['--help', 'show this help']);
  const width = Math.min(34, Math.max(...rows.map(([f]) => f.length)) + 2);
  const lines = [
    `usage: ${usageLine(def)}`,
    '',
    def.summary,
    '',
    'options:',
    ...rows.map(([f, h]) => (f.length + 2 > width ? `  ${f}\n  ${' '.repeat(width)}${h}` : `  ${f.padEnd(width)}${h}`)),
  ];
  if (def.passThrough) lines.push('', def.passThrough);
  if (def.examples?.length) lines.push('', 'examples:', ...def.examples.map((e) => `  ${e}`));
  return lines.join('\n') + '\n';
}

/** A string option's value (parseArgs leaves defaults in place, so declared defaults are always there). */
export const str = (v: OptionValues, k: string): string | undefined => v[k] as string | undefined;
export const list = (v: OptionValues, k: string): string[] | undefined => v[k] as string[] | undefined;
export const flag = (v: OptionValues, k: string): boolean => v[k] === true;
