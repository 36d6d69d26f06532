// Every audit action the server writes has words in Danish and English: the action codes are read
// from the source (appendAudit calls and the per-module audit helpers), so a new action without a
// phrase fails here rather than showing generically on the audit page.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genitive, VERBS } from '../../realtime/audit/auditPhrases.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

function writtenActions(): Set<string> {
  const found = new Set<string>();
  const code = /'([a-zA-Z]+\.[a-zA-Z]+)'/g;
  for (const file of [...sources('realtime'), 'db/queries/networks.ts', 'db/seed.ts']) {
    const text = readFileSync(file, 'utf8');
    // The stretch of each call that writes an entry: appendAudit(…), audit(trx, …) or audit('…', …),
    // and an action picked beforehand (const action = …).
    for (const m of text.matchAll(/appendAudit\(|insertInto\('audit_log'\)|\baudit\((?:trx|')|const action = /g)) {
      const call = text.slice(m.index, m.index + 260).split(/subjectType|subject_type/)[0];
      for (const [, action] of call.matchAll(code)) found.add(action);
    }
  }
  // Meeting entries are audited as meeting.<kind>.
  found.add('meeting.decision').add('meeting.action');
  return found;
}

describe('audit phrases', () => {
  const actions = writtenActions();

  it('the source writes the actions this test expects to find', () => {
    expect(actions.size).toBeGreaterThan(40);
    for (const known of ['report.correct', 'meeting.close', 'contract.change', 'member.update', 'host.create', 'methodNotes.hold']) expect(actions).toContain(known);
  });

  it('every action written has a Danish and an English phrase with a place for the object', () => {
    for (const locale of ['da', 'en'] as const) {
      const missing = [...actions].filter((a) => !VERBS[locale][a]?.includes('{object}'));
      expect(missing, locale).toEqual([]);
    }
  });

  it('a Danish genitive after s, x or z is an apostrophe', () => {
    expect(genitive('da', 'Karrierebroen')).toBe('Karrierebroens');
    expect(genitive('da', 'Karrierebroen ApS')).toBe("Karrierebroen ApS'");
    expect(genitive('en', 'Karrierebroen')).toBe('Karrierebroen’s');
  });
});
