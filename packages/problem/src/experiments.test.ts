import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareExperiment, readConfigFile, validateSuiteConfig, variantConfig } from '@cosearch/runner';
import './index';

/** Every example config in experiments/ validates (suites: every variant), without running. */
const DIR = path.resolve(__dirname, '..', '..', '..', 'experiments');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

describe('example experiments', () => {
  it('include the ones the docs promise', () => {
    expect(files).toEqual(expect.arrayContaining(['default-mnist.json', 'hardware-only.json', 'npu-cim-hetero.json', 'policy-comparison.json', 'joint-vs-sequential.json']));
  });

  it.each(files)('%s is valid', (f) => {
    const file = path.join(DIR, f);
    const raw = readConfigFile(file) as Record<string, unknown>;
    const configs = 'suite' in raw ? (() => { const s = validateSuiteConfig(raw, file); return s.variants.map((v) => variantConfig(s, v, s.seeds[0])); })() : [raw];
    for (const c of configs) {
      const { config, problem } = prepareExperiment(c, { progress: null });
      expect(config.search.budget).toBeGreaterThan(0);
      expect(problem.space.decisions.length).toBeGreaterThan(0);
    }
  });
});
