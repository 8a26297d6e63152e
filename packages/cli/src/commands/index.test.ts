import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { commands } from './index';

const CLI = path.resolve(__dirname, '..', 'cli.ts');

describe('lazy command list', () => {
  it.each(commands.map((c) => [c.command, c] as const))('%s: command and describe equal the loaded module\'s', (_name, c) => {
    const m = c.load();
    expect(c.command).toBe(m.command);
    expect(c.describe).toBe(m.describe);
  });

  it('`list policies` and `--help` load neither tfjs nor the packages of other commands', () => {
    // A fresh process (jest's own module registry would hide what a CLI start loads).
    // (yargs exits the process itself after --help: report from the 'exit' event)
    const probe = `
      process.on('exit', () => {
        const loaded = Object.keys(require.cache).filter((f) => /@tensorflow|[\\\\/](supernet|cim-training|runner|queue|vega|bullmq)[\\\\/]/.test(f));
        process.stderr.write('\\nLOADED ' + loaded.length + '\\n');
      });
      require(${JSON.stringify(CLI)}).run(process.argv.slice(1));`;
    for (const args of [['list', 'policies'], ['--help']]) {
      const r = spawnSync(process.execPath, ['--conditions=@cosearch/source', '--import', 'tsx', '-e', probe, '--', ...args], { encoding: 'utf8' });
      expect({ status: r.status, err: r.stderr }).toEqual({ status: 0, err: expect.stringMatching(/LOADED 0\n/) });
      expect(r.stdout).toMatch(args[0] === 'list' ? /policies:\n {2}evolution-v1/ : /cosearch hw/);
    }
  });
});
