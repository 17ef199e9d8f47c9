/** Names, one-line summaries and usage of the eMRTD commands: light, so the plugin registers them without loading their code. */
export const PA_VERIFY_USAGE = `Usage: tessera pa verify --sod FILE [--dg N=FILE …] --masterlist FILE … [--crl FILE …] [--csca FILE …]
                         [--issuing-state XXX] [--at DATE]

Checks the document security object (EF.SOD) and the data groups read from a chip:
the SOD signature, the document signer's chain to a trusted CSCA, and each data group's hash.

  --sod FILE              EF.SOD as read from the chip (DER, with or without the '77' wrapper)
  --dg N=FILE             data group N (1-16) as read from the chip; repeat for each (e.g. --dg 1=DG1.bin)
  --masterlist FILE       a CSCA master list (.ml/.mls, DER or PEM); repeatable
  --csca FILE             a CSCA certificate (DER or PEM) to trust as given; repeatable
  --crl FILE              a CRL from a CSCA (DER or PEM); repeatable
  --issuing-state XXX     the MRZ issuing state (e.g. UTO, D); the CSCA must belong to it
  --at DATE               judge certificate validity at this date (ISO 8601), e.g. the date of issue

At least one --masterlist or --csca is required.
Prints one JSON object: {"verdict": "valid"|"invalid"|"unknown", "signature", "chain", "hashes", "dsc", "csca",
"country", "errors", "warnings"}.
Exit status: 0 valid; 1 invalid, unknown, or an input file that cannot be read or used; 2 usage error.`;

export const PA_VERIFY_SUMMARY = 'Passive Authentication of EF.SOD and data-group files against master lists and CSCAs';

export const CHIP_REPLAY_USAGE = `Usage: tessera chip replay TRACE.json [--keys]

Replays a recorded terminal-chip session (BAC, then commands under secure messaging) through
Tessera's eMRTD engine and reports the first step where the engine and the recording differ.

  --keys    also print the session keys (ksEnc, ksMac) as hex

Trace: {"access": {"protocol": "BAC"|"PACE", "mrzInfo"?, "can"?, "cardAccess"?}, "terminalRandom": hex,
        "steps": [{"command": hex, "response": hex}], "plain": [{"command": hex, "response": hex}]}
Example: plugins/emrtd/examples/icao-9303-11-appendix-d.trace.json
Prints {"ok": true, "steps": N} or {"ok": false, "step": i, "expected": hex, "actual": hex, "reason": …}.
Exit status: 0 replayed; 1 diverged, or the trace cannot be read or is malformed; 2 usage error.`;

export const CHIP_REPLAY_SUMMARY = 'Replay a recorded reader session (BAC + secure messaging) and find where it diverges';
