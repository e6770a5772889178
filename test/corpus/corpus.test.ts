import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusFingerprint, SNAPSHOT_FILE, type CorpusEntry } from './snapshot.ts';

// The simulator's behaviour over the whole corpus, pinned: a refactor keeps every verdict and
// every trace hash. A deliberate change rewrites the snapshot (see snapshot.ts) in its commit.
describe('scenario corpus', () => {
  it('replays every file to the committed verdicts and trace hashes', { timeout: 120_000 }, async () => {
    const want = JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')) as Record<string, CorpusEntry>;
    const got = await corpusFingerprint();
    expect(Object.keys(got).length).toBeGreaterThan(60);
    expect(got).toEqual(want);
  });
});
