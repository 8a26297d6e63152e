import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** `cosearch train-supernet` option checks as a user meets them (child process; fail before training). */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const MAIN = path.join(ROOT, 'packages', 'cli', 'src', 'main.ts');

function cosearch(args: string[]) {
  const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

describe('cosearch train-supernet option checks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosearch-train-supernet-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a bad --schedule phase, --augment-shift out of range and --init with --resume give one ConfigError line', () => {
    const sched = path.join(dir, 'bad.json');
    fs.writeFileSync(sched, JSON.stringify([{ name: 'x', steps: 0 }]));
    const cases: [string[], RegExp][] = [
      [['--schedule', sched], /bad\.json\[0\]\.steps.*0.*>= 1/],
      [['--augment-shift', '40', '--steps', '1'], /augmentShift.*40.*<= 13/],
      [['--label-smoothing', '0.9', '--steps', '1'], /labelSmoothing.*0\.9.*<= 0\.5/],
      [['--init', dir, '--resume'], /--init.*not together with --resume/],
    ];
    for (const [extra, msg] of cases) {
      const r = cosearch(['train-supernet', '--dataset', 'mnist', '--limit', '200', '--quiet', '--out', path.join(dir, 'out'), ...extra]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
  });
});
