import { averageHopsUniform, hopsBetween, nocTransfer, saturationInjection, creditEfficiency, type NocConfig } from './index';

function bruteForceAverage(topology: 'mesh' | 'torus' | 'ring', k: number): number {
  let sum = 0;
  let n = 0;
  for (let a = 0; a < k * k; a++) {
    for (let b = 0; b < k * k; b++) {
      sum += hopsBetween(topology, k, [a % k, Math.floor(a / k)], [b % k, Math.floor(b / k)]);
      n++;
    }
  }
  return sum / n;
}

const cfg = (over: Partial<NocConfig> = {}): NocConfig => ({
  topology: 'mesh', k: 4, linkWidthBits: 128, flitBits: 128, packetFlits: 1, routerStages: 4, virtualChannels: 4,
  bufferDepthFlits: 8, linkLengthMm: 1, placement: { npu: [0, 0], cim: [1, 1], dram: [0, 0] }, ...over,
});

describe('NoC', () => {
  it('average hops under uniform traffic equal the closed forms (brute force over all pairs)', () => {
    for (const topo of ['mesh', 'torus', 'ring'] as const) {
      for (let k = 2; k <= 8; k++) expect(averageHopsUniform(topo, k)).toBeCloseTo(bruteForceAverage(topo, k), 12);
    }
    expect(averageHopsUniform('mesh', 4)).toBeCloseTo(2.5, 12); // 2(16 − 1)/12
  });

  it('BookSim 4×4 mesh, 1-flit packets: ≈16 cycles at low load (within 10 %)', () => {
    // 4-stage routers + 1-cycle links, average hops 2.5: (2.5 + 1)·4 + 2.5 = 16.5 cycles.
    const p = { cfg: cfg(), frequencyHz: 1e9, routerJPerBit: 0, linkJPerBitMm: 0 };
    const t = nocTransfer(16, averageHopsUniform('mesh', 4), p, 0);
    expect(Math.abs(t.cycles - 16) / 16).toBeLessThan(0.1);
    // Bisection bound 4/k = 1 flit/node/cycle; BookSim saturates at 0.65, below the ideal bound.
    expect(saturationInjection('mesh', 4)).toBeGreaterThan(0.65);
    expect(saturationInjection('torus', 4)).toBeCloseTo(2 * saturationInjection('mesh', 4), 12);
  });

  it('latency has serialisation and M/D/1 contention terms; energy per flit per router and per mm', () => {
    const p = { cfg: cfg({ packetFlits: 4 }), frequencyHz: 1e9, routerJPerBit: 1e-12, linkJPerBitMm: 2e-12 };
    const idle = nocTransfer(16 * 30, 3, p, 0);
    // 30 payload flits → 10 packets of 3 payload + 1 head → 40 flits.
    expect(idle.flits).toBe(40);
    expect(idle.cycles).toBeCloseTo(4 * 4 + 3 + 40, 9);
    const loaded = nocTransfer(16 * 30, 3, p, 0.5);
    // ρ/(2(1−ρ)) = 0.5 per hop × 4-cycle packets × 3 hops = 6 cycles.
    expect(loaded.cycles - idle.cycles).toBeCloseTo(6, 9);
    expect(idle.energyJ).toBeCloseTo(40 * 128 * (4 * 1e-12 + 3 * 1 * 2e-12), 18);
  });

  it('credit round trip: shallow buffers with few VCs throttle the link', () => {
    expect(creditEfficiency(cfg({ virtualChannels: 1, bufferDepthFlits: 2 }))).toBeCloseTo(2 / 7, 12);
    expect(creditEfficiency(cfg())).toBe(1);
  });
});
