// `condensa` command line: the one entry point that bin/condensa.js and the npm scripts call. The
// commands, their options and help live in src/cli/commands.ts; `condensa --help` lists them.
import { main, exitWith } from './cli/main.js';

exitWith(main(process.argv.slice(2)));
