import { tech } from './index';

describe('technology table', () => {
  it('SRAM energy fit reproduces Horowitz 64-bit reads (8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ) within 15 %', () => {
    const per64 = (bytes: number) => tech.sramEnergyJPerBit(bytes, 45) * 64 * 1e12;
    expect(per64(8192)).toBeCloseTo(10, 9);
    expect(per64(32768)).toBeCloseTo(20, 9);
    expect(Math.abs(per64(1 << 20) - 100) / 100).toBeLessThan(0.15);
  });

  it('ADC energy reproduces the ISAAC 4…10-bit table and grows by 1.2× per bit outside it', () => {
    const isaac = [0.79, 0.99, 1.2, 1.42, 1.67, 1.97, 2.38];
    isaac.forEach((pj, i) => expect(tech.adcEnergyJ(4 + i, 32) * 1e12).toBeCloseTo(pj, 9));
    expect(tech.adcEnergyJ(3, 32) / tech.adcEnergyJ(4, 32)).toBeCloseTo(1 / 1.2, 9);
    // 22 nm: Murmann-survey fit 0.46/0.53/0.85 pJ at 4/6/8 bit, within ±30 %.
    [[4, 0.46], [6, 0.53], [8, 0.85]].forEach(([b, pj]) => expect(Math.abs(tech.adcEnergyJ(b, 22) * 1e12 - pj) / pj).toBeLessThan(0.3));
  });

  it('node scaling hits the Stillmaker & Baas points and is monotone', () => {
    const pts: [number, number][] = [[7, 0.094], [16, 0.17], [22, 0.29], [28, 0.51], [32, 0.66], [45, 1], [65, 1.24]];
    for (const [n, f] of pts) expect(tech.nodeEnergyScale(n)).toBeCloseTo(f, 9);
    for (let n = 7; n < 180; n += 3) expect(tech.nodeEnergyScale(n + 3)).toBeGreaterThan(tech.nodeEnergyScale(n));
  });

  it('Horowitz multiplier/adder anchors: int8 mult 0.2 pJ, int32 mult ≈ 3.1 pJ, int8 add 0.03 pJ', () => {
    expect(tech.multEnergyPj45(8, 8)).toBeCloseTo(0.2, 12);
    expect(Math.abs(tech.multEnergyPj45(32, 32) - 3.1) / 3.1).toBeLessThan(0.05);
    expect(tech.addEnergyPj45(8)).toBeCloseTo(0.03, 12);
  });
});
