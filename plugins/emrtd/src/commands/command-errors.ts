/**
 * The error codes of the eMRTD plugin's command-line tools (`tessera chip replay`, `tessera chip read`),
 * with a one-line meaning each: the catalogue docs/error-codes.md is generated from.
 */
export const EMRTD_COMMAND_ERROR_CODES = {
  EMRTD_TRACE_UNREADABLE: 'The trace file given to `tessera chip replay` cannot be read (no such file, no permission).',
  EMRTD_TRACE_INVALID: 'The trace is not JSON, or a field is missing, of the wrong type, or not an even number of hex digits; the message names the field.',
  EMRTD_TRACE_CARD_ACCESS_INVALID: "A PACE trace's access.cardAccess does not parse as EF.CardAccess, or offers no PACEInfo that Tessera can run.",
  EMRTD_TRACE_RANDOM_LENGTH: "terminalRandom is not exactly the bytes the access protocol draws (BAC: RND.IFD 8 + K.IFD 16; PACE GM/CAM: two private keys of the group's size; IM: nonce t + one private key).",
  EMRTD_TRACE_RANDOM_EXHAUSTED: 'The engine asked for more random bytes than terminalRandom holds (only when a length check could not be made in advance).',
  EMRTD_TRACE_RANDOM_UNUSED: 'The access protocol finished without drawing every byte of terminalRandom: the trace does not describe this session.',
  EMRTD_TRACE_DIVERGED: 'The replay parted from the recording: a wire command differs, a step is missing or left over, or an unwrapped response differs (a result, exit status 1).',
  EMRTD_REPLAY_FAILED: 'The engine stopped during the replay for a reason that is not a TesseraError of its own (a bug to report).',
  EMRTD_READ_NO_READER: '`tessera chip read` found no reader device with a chip antenna (or none matching --reader/--device).',
  EMRTD_READ_NO_CHIP: 'The scanned document has no chip that answered, so nothing could be read.',
  EMRTD_READ_SETTING_INVALID: 'A --setting of `tessera chip read` is not ID=VALUE, or the reader does not offer that setting or value.',
} as const;

export type EmrtdCommandErrorCode = keyof typeof EMRTD_COMMAND_ERROR_CODES;
