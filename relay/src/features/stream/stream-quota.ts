import { STREAM_CLOSE_CODES } from '@switchyard/protocol';

/** Why a stream is refused: the close code and reason it is closed with. */
export interface StreamRefusal {
  code: number;
  reason: string;
}

/** Who opens a stream: the client's address (after SWITCHYARD_TRUST_PROXY) and the key's id. */
export interface StreamCaller {
  address: string;
  keyId: string;
}

export interface StreamQuotaLimits {
  /** Open streams per client address (SWITCHYARD_STREAM_MAX_PER_ADDRESS). */
  maxPerAddress: number;
  /** Open streams per key (SWITCHYARD_STREAM_MAX_PER_KEY); undefined: none, since every browser of an app shares its client key. */
  maxPerKey?: number;
}

/** Open streams per client address and, when configured, per key, so one caller cannot take every stream of a relay. */
export class StreamQuota {
  private readonly perAddress = new Map<string, number>();
  private readonly perKey = new Map<string, number>();

  constructor(private readonly limits: StreamQuotaLimits) {}

  refusal(caller: StreamCaller): StreamRefusal | undefined {
    if ((this.perAddress.get(caller.address) ?? 0) >= this.limits.maxPerAddress) {
      return {
        code: STREAM_CLOSE_CODES.tooManyConnections,
        reason: `this address holds ${this.limits.maxPerAddress} streams already (SWITCHYARD_STREAM_MAX_PER_ADDRESS)`,
      };
    }
    const perKey = this.limits.maxPerKey;
    if (perKey !== undefined && (this.perKey.get(caller.keyId) ?? 0) >= perKey) {
      return {
        code: STREAM_CLOSE_CODES.tooManyConnections,
        reason: `this key holds ${perKey} streams already (SWITCHYARD_STREAM_MAX_PER_KEY)`,
      };
    }
    return undefined;
  }

  add(caller: StreamCaller): void {
    this.perAddress.set(caller.address, (this.perAddress.get(caller.address) ?? 0) + 1);
    if (this.limits.maxPerKey !== undefined) this.perKey.set(caller.keyId, (this.perKey.get(caller.keyId) ?? 0) + 1);
  }

  remove(caller: StreamCaller): void {
    decrement(this.perAddress, caller.address);
    if (this.limits.maxPerKey !== undefined) decrement(this.perKey, caller.keyId);
  }
}

function decrement(counts: Map<string, number>, name: string): void {
  const left = (counts.get(name) ?? 1) - 1;
  if (left <= 0) counts.delete(name);
  else counts.set(name, left);
}
