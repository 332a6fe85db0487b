import { describe, expect, it } from 'vitest';
import { workerExecArgv, WORKER_SEMI_SPACE_MB } from '../../server/cluster/runPrimary.js';

describe('the flags a cluster worker starts with', () => {
  it("gives workers a smaller young generation than V8's, keeping the primary's own flags", () => {
    expect(workerExecArgv(['--enable-source-maps'])).toEqual(['--enable-source-maps', `--max-semi-space-size=${WORKER_SEMI_SPACE_MB}`]);
  });

  it('leaves a young-generation size the operator chose alone', () => {
    expect(workerExecArgv(['--max-semi-space-size=32'])).toEqual(['--max-semi-space-size=32']);
  });
});
