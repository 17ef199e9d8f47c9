/** The error codes of the SLTD reference service (`tessera sltd serve`) and its options. */
export const REFERENCE_SERVICE_ERROR_CODES = {
  SLTD_REFERENCE_FAULT_INVALID: 'A --fault option is not KIND[:ARG][xTIMES] with a known kind and the argument it needs.',
  SLTD_REFERENCE_OPTION_INVALID: 'An option of `tessera sltd serve` has a value out of range (port, record count, seed).',
  SLTD_REFERENCE_PORT_IN_USE: 'The port given to `tessera sltd serve` is taken by another program.',
} as const;
