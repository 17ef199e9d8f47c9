/**
 * The APDU link to a contactless eMRTD chip (ISO 7816-4 over ISO 14443), as a reader driver exposes it.
 * The eMRTD plugin speaks BAC/PACE and secure messaging over this; drivers only move bytes.
 */
export interface ChipTransport {
  /** Answer-to-reset / ATS, when known. */
  readonly atr?: Uint8Array;
  /** Largest command APDU the link carries (e.g. 261 short, 65544 extended). */
  readonly maxCommandLength: number;
  /** Largest response the link returns in one exchange. */
  readonly maxResponseLength: number;
  /** Send one command APDU and return the full response APDU (data + SW1 SW2). */
  transmit(command: Uint8Array, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Uint8Array>;
  close(): Promise<void>;
}
