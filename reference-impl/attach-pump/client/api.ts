/**
 * `ApiClient` (rest/client.rs): the exec POST, the status GET and `connect_ws`, with
 * `map_ws_error`: 404 → NotFound, 409 → AlreadyExists, 410 → SessionReaped, 401/403 → Config,
 * 502–504 → Network; a handshake that does not finish in 30 s is a Network error.
 */
import { isNetError, type Ports, type WsSocket } from '../../../sim/ports/index.ts';
import { CLIENT, RUNNER } from '../constants.ts';
import { execPath } from '../wire.ts';

export type ApiErrorKind = 'NotFound' | 'AlreadyExists' | 'SessionReaped' | 'Config' | 'Network' | 'Internal';

export interface ApiError {
  kind: ApiErrorKind;
  status?: number;
  message: string;
}

export type Connected = { ok: true; socket: WsSocket } | { ok: false; error: ApiError };
export type Fetched = { ok: true; status: number; body: Record<string, unknown> } | { ok: false; error: ApiError };

export function mapStatus(status: number): ApiErrorKind {
  if (status === 404) return 'NotFound';
  if (status === 409) return 'AlreadyExists';
  if (status === 410) return 'SessionReaped';
  if (status === 401 || status === 403) return 'Config';
  if (status >= 502 && status <= 504) return 'Network';
  return 'Internal';
}

export class ApiClient {
  private readonly httpBase: string;
  private readonly wsBase: string;

  constructor(
    private readonly ports: Ports,
    host = 'runner',
  ) {
    this.httpBase = `http://${host}:${RUNNER.port}`;
    this.wsBase = `ws://${host}:${RUNNER.port}`;
  }

  async connectWs(path: string): Promise<Connected> {
    try {
      return { ok: true, socket: await this.ports.net.connect(this.wsBase + path, { timeoutMs: CLIENT.handshakeTimeoutMs }) };
    } catch (e) {
      if (isNetError(e) && e.status !== undefined)
        return { ok: false, error: { kind: mapStatus(e.status), status: e.status, message: `HTTP ${e.status} on the upgrade` } };
      if (isNetError(e) && e.code === 'ETIMEDOUT')
        return {
          ok: false,
          error: { kind: 'Network', message: `WebSocket handshake timed out after ${CLIENT.handshakeTimeoutMs / 1000}s` },
        };
      return { ok: false, error: { kind: 'Network', message: isNetError(e) ? e.code : String(e) } };
    }
  }

  async get(path: string, timeoutMs: number): Promise<Fetched> {
    return this.send('GET', path, undefined, timeoutMs);
  }

  /** `POST /boxes/{box}/exec`: the execution id, or why the exec was not created. */
  async exec(box: string, command: string): Promise<{ ok: true; id: string } | { ok: false; error: ApiError }> {
    const r = await this.send('POST', execPath(box), { command }, CLIENT.httpTimeoutMs);
    if (!r.ok) return r;
    const id = r.body.execution_id;
    if (r.status !== 201 || typeof id !== 'string')
      return { ok: false, error: { kind: mapStatus(r.status), status: r.status, message: `exec: HTTP ${r.status}` } };
    return { ok: true, id };
  }

  private async send(method: string, path: string, body: unknown, timeoutMs: number): Promise<Fetched> {
    try {
      const res = await this.ports.net.request({ method, url: this.httpBase + path, body, timeoutMs });
      const b = res.body !== null && typeof res.body === 'object' ? (res.body as Record<string, unknown>) : {};
      if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, body: b };
      return { ok: false, error: { kind: mapStatus(res.status), status: res.status, message: `HTTP ${res.status}` } };
    } catch (e) {
      return { ok: false, error: { kind: 'Network', message: isNetError(e) ? e.code : String(e) } };
    }
  }
}
