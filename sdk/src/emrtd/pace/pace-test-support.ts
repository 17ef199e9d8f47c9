/**
 * Test support for the PACE tests (not exported from index.ts): a virtual eMRTD chip that runs
 * a PaceCard behind a ChipTransport and serves files under the resulting secure messaging, and
 * injectable random sources (a fixed queue for the worked examples, a seeded stream otherwise).
 */

import { createHash } from 'node:crypto';
import type { ChipTransport } from '../../contracts/chip-transport.js';
import { decodeCommandApdu, type CommandApdu } from '../codec/apdu.js';
import { concatBytes, toHex } from '../codec/bytes.js';
import type { RandomSource } from '../crypto/random.js';
import type { CardSecureMessaging } from '../sm/secure-messaging.js';
import { PaceCard } from './pace-card.js';

/** Hands out the given values in order, checking each requested length; throws when asked for more. */
export function queueRandom(...values: Uint8Array[]): RandomSource & { remaining: () => number } {
  const queue = [...values];
  const source = (length: number): Uint8Array => {
    const next = queue.shift();
    if (!next) throw new Error(`queueRandom: no value left for a ${length}-byte draw`);
    if (next.length !== length) throw new Error(`queueRandom: next value has ${next.length} bytes, ${length} were asked for`);
    return next.slice();
  };
  return Object.assign(source, { remaining: () => queue.length });
}

/** A deterministic byte stream (SHA-256 in counter mode over a label), so failures reproduce. */
export function seededRandom(label: string): RandomSource {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let offset = 0; offset < length; offset += 32) {
      const block = createHash('sha256').update(`${label}/${counter++}`).digest();
      out.set(block.subarray(0, Math.min(32, length - offset)), offset);
    }
    return out;
  };
}

function status(sw: number): Uint8Array {
  return Uint8Array.of(sw >> 8, sw & 0xff);
}

/**
 * A contactless eMRTD chip for tests: PACE through a PaceCard, then SELECT / READ BINARY of
 * `files` under secure messaging. Plain SELECT and READ BINARY are refused with 6982 (a PACE chip
 * protects its files); a plain command after PACE ends the session, as Doc 9303 §9.8.3 says.
 */
export class VirtualPaceChip implements ChipTransport {
  readonly maxCommandLength = 65544;
  readonly maxResponseLength = 65538;
  /** Every command and response, in hex, in order. */
  readonly log: string[] = [];
  /** Replaces the chip's answer to a plain command (by its index among all commands) before it is sent. */
  rewrite: ((response: Uint8Array, command: CommandApdu, index: number) => Uint8Array) | undefined;
  /** CPU time (µs) the card side spent, so terminal-side timing can be separated. */
  cardMicros = 0;
  private sm: CardSecureMessaging | undefined;
  private selected: Uint8Array | undefined;
  private count = 0;

  constructor(
    readonly card: PaceCard,
    private readonly files: ReadonlyMap<number, Uint8Array> = new Map(),
  ) {}

  get session(): CardSecureMessaging | undefined {
    return this.sm;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    const started = process.cpuUsage();
    const index = this.count++;
    this.log.push(toHex(command));
    let response: Uint8Array;
    if ((command[0] & 0x0c) === 0x0c && this.sm) {
      try {
        const plain = this.sm.unprotectCommand(command);
        const [data, sw] = this.files_(plain);
        response = this.sm.protectResponse(data, sw);
      } catch (error) {
        this.sm = undefined;
        response = status((error as { details?: { sw?: number } }).details?.sw ?? 0x6988);
      }
    } else {
      this.sm = undefined;
      const plain = decodeCommandApdu(command);
      if (PaceCard.handles(plain)) {
        const answer = this.card.respond(plain);
        response = concatBytes(answer.data, status(answer.sw));
        if (answer.secureMessaging) this.sm = answer.secureMessaging;
      } else if (plain.ins === 0xa4 && plain.p1 === 0x04) {
        response = status(0x9000);
      } else {
        response = status(0x6982);
      }
      if (this.rewrite) response = this.rewrite(response, plain, index);
    }
    this.log.push(toHex(response));
    const used = process.cpuUsage(started);
    this.cardMicros += used.user + used.system;
    return response;
  }

  async close(): Promise<void> {}

  private files_(command: CommandApdu): [Uint8Array, number] {
    const none = new Uint8Array(0);
    if (command.ins === 0xa4) {
      if (command.p1 === 0x04) return [none, 0x9000];
      const data = command.data ?? none;
      this.selected = data.length === 2 ? this.files.get((data[0] << 8) | data[1]) : undefined;
      return [none, this.selected ? 0x9000 : 0x6a82];
    }
    if (command.ins === 0xb0) {
      if (!this.selected) return [none, 0x6986];
      const offset = (command.p1 << 8) | command.p2;
      return [this.selected.slice(offset, offset + (command.ne ?? 0)), offset + (command.ne ?? 0) > this.selected.length ? 0x6282 : 0x9000];
    }
    return [none, 0x6d00];
  }
}
