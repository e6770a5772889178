/**
 * How real mode carries the simulated names over loopback: every real URL gets `__conn` (the
 * connection id, as fault targets name it) and `__from` (the dialing host), which the
 * receiving side reads and strips before the application sees the path.
 */
export function withNames(path: string, names: { conn?: string; from: string }): string {
  const sep = path.includes('?') ? '&' : '?';
  const conn = names.conn !== undefined ? `__conn=${encodeURIComponent(names.conn)}&` : '';
  return `${path}${sep}${conn}__from=${encodeURIComponent(names.from)}`;
}

function params(path: string): URLSearchParams {
  const i = path.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : path.slice(i + 1));
}

export function connOf(path: string): string {
  return params(path).get('__conn') ?? '';
}

export function fromOf(path: string): string {
  return params(path).get('__from') ?? 'remote';
}

/** The path the application asked for, without real mode's names. */
export function stripNames(path: string): string {
  const i = path.indexOf('?');
  if (i < 0) return path;
  const p = params(path);
  p.delete('__conn');
  p.delete('__from');
  const rest = p.toString();
  return path.slice(0, i) + (rest ? `?${rest}` : '');
}
