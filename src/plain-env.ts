/**
 * Makes process.env a plain copy of the environment. The `yaml` package reads
 * process.env.LOG_TOKENS for every token it parses, and every read of process.env asks the
 * operating system: a third of the time spent finding positions went there. Commands only
 * read their environment (child processes get the copy). Not on Windows, where names are
 * case-insensitive and a plain object would not be.
 */
export function usePlainEnvironment(): void {
  if (process.platform !== 'win32') process.env = { ...process.env };
}
