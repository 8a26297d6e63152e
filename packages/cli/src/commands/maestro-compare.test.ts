import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

/** `cosearch maestro-compare DIR` as a user runs it (child processes). */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');
const MINI = path.join(ROOT, 'packages', 'hardware', 'src', '__fixtures__', 'maestro-mini');

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', MAIN, 'maestro-compare', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cosearch maestro-compare', () => {
  it('prints the acceptance table for the hand-typed fixture; --check passes', () => {
    const r = cosearch([MINI, '--summary', '--check']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('| check | measured | target | met |')).toBe(true);
    expect(r.stdout).toContain('| MACs exact (non-artefact rows) | 8/8 (100 %) | all | yes |');
    expect(r.stdout).not.toMatch(/\| NO \|/);
  });

  it('a missing folder is one line and exit 1', () => {
    const r = cosearch([path.join(ROOT, 'no-such-maestro-folder')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cosearch: .*no-such-maestro-folder: not a readable folder of MAESTRO outputs/);
  });
});
