import { beforeAll, describe, expect, it } from 'vitest';
import { corpusOrSkip } from './helpers.js';
import { judge, key, labelStub, lintCorpus, loadLabels, precisionTable, type Judged } from '../bench/precision.js';

/**
 * The labelled corpus: every error and warning svclint gives on ../shared/corpus has a
 * verdict in test/corpus/labels.yaml. A finding labelled FALSE must not come back as an error
 * or a warning, a new error or warning must be labelled (the failure prints it, ready to
 * paste), and a finding labelled TRUE must stay an error or a warning. `npm run precision`
 * prints the table.
 */
describe.skipIf(!corpusOrSkip('the labelled corpus'))('precision on the labelled corpus', () => {
  let judged: Judged[] = [];
  // One run of the whole corpus (a few minutes on a busy machine), shared by the checks below.
  beforeAll(() => {
    judged = judge(lintCorpus(), loadLabels());
  }, 900_000);

  it('has a label for every error and warning', () => {
    const missing = judged.filter((j) => !j.label);
    expect(missing.length, `unlabelled errors and warnings; add to test/corpus/labels.yaml:\n${missing.map(labelStub).join('\n')}`).toBe(0);
  });

  it('gives no error or warning labelled FALSE', () => {
    const wrong = judged.filter((j) => j.label?.verdict === 'FALSE');
    expect(wrong.map((j) => `${j.finding.severity} ${j.finding.ruleId} ${j.file}: ${j.finding.message.slice(0, 200)} (labelled FALSE: ${j.label!.reason})`)).toEqual([]);
  });

  it('keeps every finding labelled TRUE as an error or a warning', () => {
    const seen = new Set(judged.map((j) => key(j.fingerprint, j.file)));
    const lost = [...loadLabels().values()].filter((l) => l.verdict === 'TRUE' && !seen.has(key(l.fingerprint, l.file)));
    console.log(precisionTable(judged));
    expect(lost.map((l) => `${l.rule} ${l.file} ${l.object ?? ''}: ${l.reason}`)).toEqual([]);
  });
});
