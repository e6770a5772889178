/**
 * Log port: lets an implementation annotate the world's trace (what it decided and why), so
 * timelines show protocol steps next to the network, file and process events that caused them.
 * Data must be plain JSON (no functions, no class instances).
 */
export interface Log {
  (kind: string, data?: Record<string, unknown>): void;
}
