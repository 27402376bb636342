/** Where the agent's own messages go (the CLI prints them with a time stamp). */
export interface EdgeLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
