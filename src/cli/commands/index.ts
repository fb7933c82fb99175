// Subcommands next to the default scan action (`stripe-audit [paths...]`): rules, explain, init.
// Commander dispatches on the first operand, so `stripe-audit rules` runs the subcommand and
// `stripe-audit .` (or any other path) scans. To scan a folder literally named like a subcommand,
// write `./rules`.
import type { Command } from 'commander';
import { initCommand } from './init.js';

/** Registers rules, explain and init; each reports its exit code through setExit. */
export function registerCommands(program: Command, setExit: (code: number) => void): void {
  program
    .command('rules')
    .description('list every rule with its id, default level and a one-line summary')
    .action(async () => {
      // Loaded on demand: the rules bring the TypeScript parser, which a scan loads in parallel instead.
      const { rulesCommand } = await import('./rules.js');
      process.stdout.write(rulesCommand());
      setExit(0);
    });
  program
    .command('explain')
    .description("show a rule's documentation: what it finds, why it matters, how to fix it, bad and good examples")
    .argument('<rule-id>', 'a rule id from `stripe-audit rules`')
    .action(async (id: string) => {
      const { explainCommand } = await import('./explain.js');
      const r = explainCommand(id);
      (r.ok ? process.stdout : process.stderr).write(r.text);
      setExit(r.ok ? 0 : 2);
    });
  program
    .command('init')
    .description('write a starter stripe-audit.config.json and .github/workflows/stripe-audit.yml')
    .argument('[dir]', 'project folder to write into', '.')
    .option('--force', 'overwrite existing files')
    .action((dir: string, opts: { force?: boolean }) => {
      const r = initCommand(dir, !!opts.force);
      (r.ok ? process.stdout : process.stderr).write(r.text);
      setExit(r.ok ? 0 : 2);
    });
}
