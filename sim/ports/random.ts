/**
 * Random port: the only randomness code under simulation may use. In a simulated world every
 * host gets its own seeded stream, so extra draws on one host never shift another.
 */
export interface Random {
  /** Uniform float in [0, 1). */
  float(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
}
