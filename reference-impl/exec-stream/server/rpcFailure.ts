/** A JSON-RPC error a handler returns to the caller (code and message go on the wire). */
import { StacklessError } from '../../../sim/ports/index.ts';
import { INTERNAL_ERROR, INVALID_PARAMS, INVALID_REQUEST } from '../protocol/wire.ts';

export class RpcFailure extends StacklessError {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'RpcFailure';
  }
}

export const invalidRequest = (m: string) => new RpcFailure(INVALID_REQUEST, m);
export const invalidParams = (m: string) => new RpcFailure(INVALID_PARAMS, m);
export const internalError = (m: string) => new RpcFailure(INTERNAL_ERROR, m);
