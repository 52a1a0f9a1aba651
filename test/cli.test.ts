// The `condensa` command as a user meets it (bin/condensa.js, in child processes): --version and every
// subcommand's --help on stdout with exit 0, usage errors with exit 2 and the usage line, failures with
// exit 1, stdout holding only JSON where JSON is asked for, and `--` passed on to Playwright.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMMANDS } from '../src/cli/commands.js';

const BIN = new URL('../bin/condensa.js', import.meta.url).pathname;
const condensa = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 170_000, env: { ...process.env, ...env } });
const version = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

describe('condensa, the command', () => {
  it('--version prints the package version', () => {
    const r = condensa(['--version']);
    expect([r.status, r.stdout]).toEqual([0, `${version}\n`]);
  });

  it('--help lists every command', () => {
    const r = condensa(['--help']);
    expect(r.status).toBe(0);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c.name} `);
  });

  it.each(COMMANDS.map((c) => [c.name]))('condensa %s --help shows every option with its default, on stdout', (name) => {
    const def = COMMANDS.find((c) => c.name === name)!;
    const r = condensa([...name.split(' '), '--help']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^usage: condensa ${name}`));
    for (const [k, o] of Object.entries(def.options)) {
      expect(r.stdout).toContain(`--${k}`);
      if (typeof o.default === 'string') expect(r.stdout).toContain(`default: ${o.default}`);
    }
  });

  it('usage errors exit 2 and name the mistake and the usage', () => {
    const cases: [string[], RegExp][] = [
      [['nope'], /unknown command "nope"/],
      [['suite', '--bogus'], /condensa suite: Unknown option '--bogus'[\s\S]*usage: condensa suite/],
      [['bench', '--webgpu', 'nope'], /unknown --webgpu "nope" \(expected auto, swiftshader, gpu, off\)/],
      [['suite', '--project', 'tpu'], /unknown --project "tpu"/],
      [['run'], /condensa run: expects SPEC.json, got none/],
      [['report', 'compare', 'a.json'], /expects BASE.json NEW.json/],
    ];
    for (const [args, message] of cases) {
      const r = condensa(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });

  it('a failure exits 1 with its reason', () => {
    const r = condensa(['run', '/nonexistent/spec.json']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/cannot read spec \/nonexistent\/spec.json/);
  });

  it('run prints only its summary JSON on stdout, progress and the files written on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const grid = JSON.parse(readFileSync(new URL('./grids/condense-small.json', import.meta.url), 'utf8'));
    writeFileSync(join(dir, 'spec.json'), JSON.stringify({ ...grid.base, stop: { maxSteps: 200 } }));
    const r = condensa(['run', join(dir, 'spec.json'), '--report', dir, '--out', join(dir, 'traj.json')]);
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.steps).toBe(200);
    expect(summary.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stderr).toMatch(/wrote .*traj.json/);
    expect(existsSync(join(dir, 'traj.json'))).toBe(true);
  });

  it('env --json prints the environment record as JSON alone', () => {
    const r = condensa(['env', '--json', '--adapter', 'swiftshader']);
    expect(r.status).toBe(0);
    const env = JSON.parse(r.stdout);
    expect(env.condensa).toBe(version);
    expect(env.machine.cores).toBeGreaterThan(0);
    expect(env.webgpu.software).toBe(true);
    expect(env.browser.path).toBeTruthy();
  });

  it('suite -- --list passes the rest to Playwright, which lists the tests; no report is written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-list-'));
    const r = condensa(['suite', '--suite', 'multiplicity', '--project', 'wasm', '--out', dir, '--', '--list']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\[wasm\] .*multiplicity › tanh/);
    expect(r.stdout).toMatch(/no part ran: no report written/);
    expect(existsSync(join(dir, 'suite-vm.json'))).toBe(false);
  });
});
