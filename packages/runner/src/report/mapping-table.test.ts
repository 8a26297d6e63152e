import { mappingTable } from './html';

/** The per-layer mapping table of the report (cosearch-v1 rows carry the NPU mapping; CIM/vector rows do not). */
describe('report: per-layer mapping table', () => {
  it('lists layer, unit, latency, energy and mapping (escaped) when a row has a mapping', () => {
    const html = mappingTable([
      { layer: 'conv1', unit: 'NPU', latencyS: 2e-6, energyJ: 3e-9, mapping: "row-stationary-v1 (compute-bound): SpatialMap(1,1) Y'; Cluster(Sz(R), P)" },
      { layer: 'act1', unit: 'VECTOR', latencyS: 1e-7, energyJ: 1e-10 },
    ]);
    expect(html).toMatch(/<th>mapping<\/th>/);
    expect(html).toContain('<td>conv1</td><td>NPU</td><td>2.00 µs</td><td>3.00 nJ</td>');
    expect(html).toContain("SpatialMap(1,1) Y'");
    expect(html).toMatch(/<td>act1<\/td><td>VECTOR<\/td>.*–/);
  });

  it('is empty when no row has a mapping (other problems)', () => {
    expect(mappingTable([{ layer: 'l0', unit: 'NPU', latencyS: 1, energyJ: 1 }])).toBe('');
  });
});
