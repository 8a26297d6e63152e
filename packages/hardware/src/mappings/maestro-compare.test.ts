import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@cosearch/core';
import { compareWithMaestro, kendallTauB } from './maestro-compare';

const MINI = join(__dirname, '..', '__fixtures__', 'maestro-mini');

describe('compareWithMaestro on the hand-typed maestro-mini fixture', () => {
  const r = compareWithMaestro(MINI);

  it('reads every row (one run folder, the rest through inputs/mappings)', () => {
    expect(r.rows).toHaveLength(9);
    expect(r.sweep).toHaveLength(14);
    expect(r.notes).toEqual([]);
  });

  it('meets the acceptance tolerances', () => {
    const clean = r.rows.filter((x) => !x.artefact);
    for (const x of clean) {
      expect(x.macs).toBe(x.maestroMacs);
      expect(x.pes).toBeCloseTo(x.maestroPes, 4);
      if (x.computeBound) expect(Math.abs(x.runtime / x.maestroRuntime - 1)).toBeLessThanOrEqual(0.05);
    }
    for (const f of r.families) {
      expect(f.points).toBeGreaterThan(0);
      expect(f.within20 / f.points).toBeGreaterThanOrEqual(0.9);
      expect(f.directionRight / f.pairs).toBeGreaterThanOrEqual(0.9);
    }
    expect(r.taus.map((t) => t.tau)).toEqual([1, 1]);
    expect(r.summary.filter((s) => s.met === false)).toEqual([]);
  });

  it('reports the strided row under a spatial Y′ map separately, with its exact MAC count', () => {
    const art = r.rows.filter((x) => x.artefact);
    expect(art.map((x) => `${x.dataflow} ${x.layer}`)).toEqual(['YRP_RS ResNet18_L3_0_CONV1_3x3s2']);
    expect(art[0].macs).toBe(256 * 128 * 9 * 14 * 14);
    expect(art[0].pes).toBe(42); // MAESTRO prints 45 (artefact 2)
    expect(r.text).toMatch(/\| artefact rows .* \| 1\/1 \/ 1\/1 \|/);
  });

  it('prints a table with one line per row and the summary', () => {
    expect(r.text).toContain('| compute-bound cycles within ±5 % | 4/4 (100 %) | all | yes |');
    expect(r.text.split('\n').filter((l) => l.startsWith('E_ideal128'))).toHaveLength(5);
  });
});

describe('compareWithMaestro on bad folders', () => {
  it('a missing folder is one DataError line', () => {
    expect(() => compareWithMaestro('/nonexistent/maestro')).toThrow(DataError);
    expect(() => compareWithMaestro('/nonexistent/maestro')).toThrow('/nonexistent/maestro: not a readable folder of MAESTRO outputs');
  });

  it('skips what is missing with a note and names bad cells', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-'));
    writeFileSync(join(dir, 'results.csv'), 'hw,num_pes,noc_bw,noc_hop_latency,offchip_bw,set,dataflow,layer,num_macs,runtime,average_number_of_utilized_pes\nX,64,16,1,16,conv,KCP_WS,L,1,1,1\n');
    const r = compareWithMaestro(dir);
    expect(r.rows).toHaveLength(0);
    expect(r.notes.join('\n')).toMatch(/skipped .*X__conv_KCP_WS.mapping\.m: missing/);
    expect(r.notes.join('\n')).toMatch(/no .*sweep\.csv: sweep checks skipped/);
    mkdirSync(join(dir, 'outputs', 'X__conv_KCP_WS'), { recursive: true });
    writeFileSync(join(dir, 'outputs', 'X__conv_KCP_WS', 'mapping.m'),
      'Network n { Layer L { Type: CONV Dimensions { K: 4, C: 4, R: 1, S: 1, Y: 4, X: 4 } Dataflow { SpatialMap(1,1) K; } } }');
    writeFileSync(join(dir, 'results.csv'), 'hw,num_pes,noc_bw,noc_hop_latency,offchip_bw,set,dataflow,layer,num_macs,runtime,average_number_of_utilized_pes\nX,sixty,16,1,16,conv,KCP_WS,L,1,1,1\n');
    expect(() => compareWithMaestro(dir)).toThrow(/results\.csv: row 2: column num_pes is "sixty", expected a number/);
  });
});

describe('kendallTauB', () => {
  it('matches hand-counted pairs', () => {
    expect(kendallTauB([1, 2, 3, 4], [10, 20, 30, 40])).toBe(1);
    expect(kendallTauB([1, 2, 3, 4], [40, 30, 20, 10])).toBe(-1);
    // One swapped pair of 6: (5 − 1)/6.
    expect(kendallTauB([1, 2, 3, 4], [1, 2, 4, 3])).toBeCloseTo(4 / 6, 12);
    // Ties: a = (1,1,2), b = (1,2,3): concordant 2, tied in a 1 → 2/√(3·2).
    expect(kendallTauB([1, 1, 2], [1, 2, 3])).toBeCloseTo(2 / Math.sqrt(6), 12);
  });
});
