import * as fs from 'node:fs';
import type { Candidate, Metrics } from '@cosearch/core';

/**
 * The evaluation log: one JSON line per evaluation, appended and fsync'ed as soon as the
 * evaluation finishes, so a crash (kill -9, power loss) loses no finished evaluation. With
 * parallel workers lines arrive in completion order; every record carries its `index` (its
 * position in ask order), and readers sort by it. Only `timing` and `worker` depend on the
 * machine; everything else is a deterministic function of config and seed.
 */
export interface EvalRecord {
  /** Position in ask order, 0-based, over the whole run. */
  index: number;
  /** Ask/tell round. */
  batch: number;
  stage: string;
  /** Active phase of the policy when asked (multi-phase schedules), else the stage name. */
  phase: string;
  key: string;
  candidate: Candidate;
  /** True when an earlier index had the same candidate (answered from the cache). */
  cached: boolean;
  metrics: Metrics | null;
  reward: number;
  violations?: string[];
  error?: string;
  timing?: Record<string, number>;
}

export class Journal {
  private fd: number;

  /** Opens for appending; a torn last line (crash mid-write) is cut off first. */
  constructor(readonly file: string) {
    const { validBytes } = readJournal(file);
    if (fs.existsSync(file) && fs.statSync(file).size !== validBytes) fs.truncateSync(file, validBytes);
    this.fd = fs.openSync(file, 'a');
  }

  append(record: EvalRecord): void {
    fs.writeSync(this.fd, JSON.stringify(record) + '\n');
    fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/** Reads a journal; tolerates a torn last line. Returns the records in file order. */
export function readJournal(file: string): { records: EvalRecord[]; validBytes: number } {
  if (!fs.existsSync(file)) return { records: [], validBytes: 0 };
  const buf = fs.readFileSync(file);
  const records: EvalRecord[] = [];
  let start = 0;
  let validBytes = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== 0x0a) continue;
    const line = buf.subarray(start, i).toString('utf8');
    start = i + 1;
    try {
      records.push(JSON.parse(line) as EvalRecord);
      validBytes = start;
    } catch {
      break; // a corrupt line: keep what precedes it
    }
  }
  return { records, validBytes };
}

/** Records by index (first occurrence wins), in index order. */
export function sortedRecords(records: readonly EvalRecord[]): EvalRecord[] {
  const byIndex = new Map<number, EvalRecord>();
  for (const r of records) if (!byIndex.has(r.index)) byIndex.set(r.index, r);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** A record without its machine-dependent fields, for comparisons. */
export function deterministicPart(r: EvalRecord): Omit<EvalRecord, 'timing'> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { timing, ...rest } = r;
  return rest;
}
