import type { Command } from 'commander';

/** Subcommands (rules, explain, init). */
export function registerCommands(_program: Command, _setExit: (code: number) => void): void {}
