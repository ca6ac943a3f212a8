/** The config error: every offending key path in one message; the CLI prints it without a stack. */
import type { z } from 'zod';

/** A config error that lists each offending key path. */
export class ConfigError extends Error {
  constructor(readonly source: string, readonly issues: readonly string[]) {
    super(`${source}: invalid config\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** zod issues as "key.path: message" lines, each under `prefix` when given. */
export function formatIssues(error: z.ZodError, prefix: readonly (string | number)[] = []): string[] {
  return error.issues.map((i) => {
    const path = [...prefix, ...i.path.map(String)];
    return `${path.length ? path.join('.') : '(root)'}: ${i.message}`;
  });
}
