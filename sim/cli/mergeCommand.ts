/**
 * `execsim merge-reports DIR... [--out DIR]`: the shards of a CI matrix each wrote a report
 * folder; this merges their summary.json files into one summary and one junit.xml.
 */
import { join } from 'node:path';
import { ExecsimError } from '../errors.ts';
import { pathExists, readText, writeTextAtomic } from '../host/hostIo.ts';
import { casesOf, renderJunit } from '../report/junit.ts';
import { summaryOf, type Summary, type SummaryRow } from '../report/summaryJson.ts';
import { parseJson } from '../scenario/load.ts';
import { parse } from './args.ts';
import type { CliContext } from './context.ts';

export const MERGE_USAGE = `execsim merge-reports DIR... [--out DIR]

Merges the summary.json of several report folders (the shards of a CI matrix) into one
summary.json and one junit.xml in --out (default reports/). Exit 0 when every merged scenario
met its expectation and every shard finished, 1 otherwise.
`;

export async function mergeCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse('merge-reports', args, { out: { type: 'string' }, help: { type: 'boolean' } });
  if (values.help) {
    ctx.io.out(MERGE_USAGE);
    return 0;
  }
  if (positionals.length === 0)
    throw new ExecsimError('EXECSIM_USAGE', 'merge-reports: give one or more report folders (try: execsim merge-reports --help)');
  const rows: SummaryRow[] = [];
  const commands: string[] = [];
  let complete = true;
  let wallMs = 0;
  for (const dir of positionals) {
    const file = join(dir, 'summary.json');
    if (!pathExists(file)) throw new ExecsimError('EXECSIM_USAGE', `merge-reports: ${file} does not exist`);
    const s = parseJson(readText(file), file) as Partial<Summary>;
    if (!Array.isArray(s.scenarios) || typeof s.command !== 'string')
      throw new ExecsimError('EXECSIM_SCENARIO_INVALID', `${file}: not an execsim summary.json (expected "command" and "scenarios")`);
    rows.push(...s.scenarios);
    commands.push(s.command);
    complete &&= s.complete === true;
    wallMs += s.timing?.wallMs ?? 0;
  }
  rows.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out = (values.out as string | undefined) ?? 'reports';
  const command = `merge-reports of: ${commands.join(' + ')}`;
  const summary = summaryOf(command, rows, complete, wallMs);
  writeTextAtomic(join(out, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  writeTextAtomic(join(out, 'junit.xml'), renderJunit('execsim (merged shards)', rows.flatMap(casesOf)));
  ctx.io.out(
    `merged ${positionals.length} reports: ${summary.ok}/${summary.total} scenarios as expected${complete ? '' : ' (a shard did not finish)'} -> ${out}/summary.json, ${out}/junit.xml\n`,
  );
  return summary.failed === 0 && complete ? 0 : 1;
}
