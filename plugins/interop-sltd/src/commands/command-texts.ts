/** Names, one-line summaries and usage of the `tessera sltd` commands: light, so the plugin registers them without loading their code. */
export const SLTD_COMMAND_TEXTS = {
  'sltd serve': {
    summary: 'Run the SLTD reference service (a stand-in for the online service, for demos and tests)',
    usage: `Usage: tessera sltd serve [--port N] [--host ADDR] [--records N] [--seed S] [--api-key KEY | --no-auth]
                          [--fault KIND[:ARG][xTIMES]]

Runs the SLTD reference service in this process until interrupted (Ctrl-C): document search, snapshot
and deltas for offline copies, a health check, OpenAPI at /docs, and fault injection for tests.

  --port N          port on 127.0.0.1 (default 4480; 0 picks a free one)
  --host ADDR       address to listen on (default 127.0.0.1)
  --records N       generated records besides the demo ones (default 50000)
  --seed S          seed of the generated records (default 1)
  --api-key KEY     the key clients must send as X-API-Key or Bearer (default sltd-demo-key)
  --no-auth         accept requests without credentials
  --fault F         answer with a fault from the start: delay:MS, status:CODE, malformed, drop,
                    slow-body:MS; xN limits it to the next N requests (e.g. status:503x2)

Prints one line "SLTD reference service listening on URL …" once it accepts requests.
Exit status: 0 after an interrupt; 1 when it cannot start (port in use); 2 usage error.`,
  },
  'sltd import': {
    summary: 'Import an SLTD snapshot (or a delta with --delta) into the offline copy',
    usage: `Usage: tessera sltd import FILE [--delta] [--force] [--data DIR]

Imports a snapshot file into the offline SLTD copy (replacing the previous one), or with --delta applies
a delta file that follows the copy's current sequence. The import is atomic: a failed one leaves the
previous copy intact. Progress goes to standard error.

  --delta      FILE is a delta, not a snapshot
  --force      import a snapshot even if its data is older than the copy's (refused otherwise)
  --data DIR   the host data folder (default ./tessera-data or $TESSERA_DATA); the copy is kept in
               DIR/plugins/interop-sltd/offline unless the plugin setting offlineDataDir says otherwise

Prints one JSON object: the copy's records, dataAsOf, importedAt, snapshotId, deltasApplied, bytesOnDisk.
Exit status: 0 imported; 1 the file cannot be read, is damaged, out of sequence or older than the copy, or
another import is running; 2 usage error.`,
  },
  'sltd status': {
    summary: 'Show the offline SLTD copy: records, data date, age',
    usage: `Usage: tessera sltd status [--data DIR] [--json]

Shows the offline SLTD copy: records, when its data dates from and how old that is, when it was
imported, the snapshot id and deltas applied, its size on disk, and whether it is older than the
plugin setting maxAgeHours (default 48).

  --data DIR   the host data folder (default ./tessera-data or $TESSERA_DATA)
  --json       print one JSON object instead of text

Exit status: 0 a current copy; 1 no copy imported yet, or older than maxAgeHours; 2 usage error.`,
  },
  'sltd sync': {
    summary: 'Download the snapshot or the new deltas from an SLTD service and import them',
    usage: `Usage: tessera sltd sync --from URL [--api-key KEY] [--data DIR]

Brings the offline SLTD copy up to date from a service that serves /v1/snapshot and /v1/deltas
(e.g. \`tessera sltd serve\`): the snapshot when there is no copy yet (or the service no longer knows the
copy's sequence), else only the changes since the copy's sequence.

  --from URL      base URL of the service (default: the plugin setting endpoint)
  --api-key KEY   credentials (default: the plugin settings apiKey / bearerToken)
  --data DIR      the host data folder (default ./tessera-data or $TESSERA_DATA)

Prints one JSON object: what was done ("snapshot", "delta" or "current") and the copy's state.
Exit status: 0 up to date; 1 the service or the import failed; 2 usage error.`,
  },
} as const;

export type SltdCommandId = keyof typeof SLTD_COMMAND_TEXTS;
