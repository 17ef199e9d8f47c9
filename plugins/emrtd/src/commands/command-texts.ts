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

Replays a recorded terminal-chip session (BAC or PACE, then commands under secure messaging)
through Tessera's eMRTD engine and reports the first step where the engine and the recording differ.

  --keys    also print the session keys (ksEnc, ksMac) as hex

Trace: {"access": {"protocol": "BAC"|"PACE", "mrzInfo"?, "can"?, "cardAccess"?}, "terminalRandom": hex,
        "steps": [{"command": hex, "response": hex}], "plain": [{"command": hex, "response": hex}]}
terminalRandom: the terminal's random bytes in the order drawn — BAC: RND.IFD (8) then K.IFD (16);
PACE: the mapping private key (IM: the nonce t) then the ephemeral private key, each the group order's size.
PACE reads its PACEInfo from cardAccess (EF.CardAccess) and uses mrzInfo, else can, as the password.
Examples: plugins/emrtd/examples/icao-9303-11-appendix-d.trace.json (BAC),
          plugins/emrtd/examples/icao-9303-11-appendix-g1.trace.json (PACE-GM, brainpoolP256r1)
Prints {"ok": true, "steps": N} or {"ok": false, "step": i, "expected": hex, "actual": hex, "reason": …}.
Exit status: 0 replayed; 1 diverged, or the trace cannot be read or is malformed; 2 usage error.`;

export const CHIP_REPLAY_SUMMARY = 'Replay a recorded reader session (BAC or PACE + secure messaging) and find where it diverges';

export const CHIP_READ_USAGE = `Usage: tessera chip read [--reader ID] [--device ID] [--mrz MRZ | --can CAN] [--setting ID=VALUE …]
                         [--data DIR] [--json]

Reads the chip of the document on a reader (the first ready one with a chip antenna: the simulator
unless another reader is configured) and verifies it: access control (PACE or BAC), the files read,
the MRZ in DG1 against the printed one, Passive Authentication against the configured CSCAs, Active
and Chip Authentication (PACE-CAM counts as Chip Authentication), and the portrait.

  --reader ID          use only this reader driver (e.g. simulator, usb-ccid)
  --device ID          use this device (e.g. simulator:fpr-1)
  --mrz MRZ            the chip key: MRZ_information (e.g. L898902C<369080619406236) or the MRZ lines
                       separated by spaces; default: the MRZ the reader read
  --can CAN            the 6-digit card access number (PACE documents)
  --setting ID=VALUE   change a device setting first (e.g. chip=wrong-dg-hash on the simulator); repeatable
  --data DIR           the host data folder (configuration, trust store); default ./tessera-data or $TESSERA_DATA
  --json               print one JSON object instead of text

Exit status: 0 every verdict passed; 1 a verdict failed, or the chip could not be read; 2 usage error;
3 nothing failed but a verdict could not be established (e.g. no CSCA for the document signer).`;

export const CHIP_READ_SUMMARY = 'Read and verify the chip of the document on a reader (PACE/BAC, PA, AA, CA)';
