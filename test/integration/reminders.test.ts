// Deadline reminders: an overdue or soon-due monthly report becomes one in-app notification per
// person and one e-mail, delivered over SMTP to a real local SMTP server, exactly once; a refused
// recipient is not retried; with the SMTP server down the job logs, keeps serving, and delivers on a
// later run.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { copenhagenMonth } from '../../domain/time.ts';
import { runReminders } from '../../realtime/notifications/reminders.ts';
import { smtpMailer } from '../../realtime/notifications/email.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { freePort } from '../helpers/process.ts';
import { startSmtpCatcher, type SmtpCatcher } from '../helpers/smtp.ts';

const HOST = 'host@jobcenter.example';
const BO = 'bo@provider2.example'; // Nordlys, provider 2
const DORTHE = 'dorthe@provider3.example'; // Fjordhuset, provider 3
const ANNA = 'anna@provider1.example';

const monthsBefore = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const i = y * 12 + m - 1 - n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
};
const danishMonth = (month: string) => new Intl.DateTimeFormat('da-DK', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

async function providerIds(server: TestServer): Promise<string[]> {
  return server.providerIds();
}

for (const { dialect, available } of DIALECTS) {
  describe.skipIf(!available)(`deadline reminders on ${dialect}`, () => {
    let server: TestServer;
    let catcher: SmtpCatcher;
    let providers: string[];
    let overdueMonth: string;

    beforeAll(async () => {
      [server, catcher] = await Promise.all([startTestServer({ dialect }), startSmtpCatcher()]);
      providers = await providerIds(server);
      overdueMonth = monthsBefore(copenhagenMonth(server.ctx.now()), 2); // due on the 10th of last month
      await server.ctx.db.deleteFrom('monthly_reports').where('provider_id', '=', providers[1]).where('month', '=', overdueMonth).execute();
    });
    afterAll(async () => {
      await Promise.all([server?.close(), catcher?.close()]);
    });

    it("an overdue report notifies the provider's members and the host, in-app and by e-mail, exactly once", async () => {
      const mailer = smtpMailer(catcher.url);
      try {
        const first = await runReminders(server.ctx, mailer);
        expect(first).toEqual({ created: 2, emailed: 2, deferred: 0 });
        const mails = await catcher.waitFor(2);
        expect(mails.map((m) => m.to).flat().sort()).toEqual([BO, HOST].sort());
        const bo = mails.find((m) => m.to.includes(BO))!;
        // Danish by default.
        expect(bo.subject).toBe(`Månedsrapport mangler: Nordlys Job & Kompetence, ${danishMonth(overdueMonth)}`);
        expect(bo.text).toContain('Hej Bo Kjær');
        expect(bo.text).toContain(`Månedsrapporten for ${danishMonth(overdueMonth)} fra Nordlys Job & Kompetence er ikke indberettet`);

        // Later runs create nothing and send nothing again.
        expect(await runReminders(server.ctx, mailer)).toEqual({ created: 0, emailed: 0, deferred: 0 });
        server.advanceClock(2 * 3600_000);
        expect(await runReminders(server.ctx, mailer)).toEqual({ created: 0, emailed: 0, deferred: 0 });
        await new Promise((r) => setTimeout(r, 200));
        expect(catcher.received).toHaveLength(2);
        const emailed = await server.ctx.db.selectFrom('notifications').select(['kind', 'emailed_at']).execute();
        expect(emailed.map((n) => n.kind)).toEqual(['report.overdue', 'report.overdue']);
        expect(emailed.every((n) => n.emailed_at !== null)).toBe(true);
      } finally {
        mailer.close();
      }
    });

    it('the in-app notification is listed with its unread count, only to its recipient, and can be marked read', async () => {
      const inbox = async (who: string) => (await server.api('/api/me/notifications', { cookie: await server.as(who) })).json();
      const bo = await inbox(BO);
      expect(bo.unread).toBe(1);
      expect(bo.notifications).toEqual([
        expect.objectContaining({ kind: 'report.overdue', networkId: server.networkId, readAt: null, params: expect.objectContaining({ providerId: providers[1], providerName: 'Nordlys Job & Kompetence', month: overdueMonth }) }),
      ]);
      expect((await inbox(ANNA)).notifications).toEqual([]);
      expect((await inbox('viewer@jobcenter.example')).unread).toBe(0);
      const id = bo.notifications[0].id;
      expect((await server.api(`/api/me/notifications/${id}/read`, { method: 'POST', cookie: await server.as(ANNA) })).status).toBe(404);
      const read = await server.api(`/api/me/notifications/${id}/read`, { method: 'POST', cookie: await server.as(BO) });
      expect(read.status).toBe(200);
      expect((await read.json()).readAt).not.toBeNull();
      expect((await inbox(BO)).unread).toBe(0);
      expect((await inbox(HOST)).unread).toBe(1);
      expect((await server.api('/api/me/notifications')).status).toBe(401);
    });

    it('a report due within three days reminds only the provider, in the language it chose', async () => {
      const lastMonth = monthsBefore(copenhagenMonth(server.ctx.now()), 1);
      await server.ctx.db.deleteFrom('monthly_reports').where('provider_id', '=', providers[2]).where('month', '=', lastMonth).execute();
      await server.ctx.db.updateTable('users').set({ locale: 'en' }).where('email', '=', DORTHE).execute();
      // Two days before the deadline (the 10th): the 8th at noon, Copenhagen time.
      const eighth = new Date(`${copenhagenMonth(server.ctx.now())}-08T10:00:00Z`);
      const mailer = smtpMailer(catcher.url);
      try {
        const run = await runReminders({ ...server.ctx, now: () => eighth }, mailer);
        expect(run).toMatchObject({ created: 1, emailed: 1 });
        const [mail] = (await catcher.waitFor(3)).slice(2);
        expect(mail.to).toEqual([DORTHE]);
        expect(mail.subject).toMatch(/^Reminder: the monthly report for \w+ \d{4} is due by 10 \w+ \d{4}$/);
        expect(mail.text).toContain("Fjordhuset Rekruttering's monthly report");
      } finally {
        mailer.close();
      }
    });
  });
}

describe('deadline reminders when the SMTP server refuses a recipient', () => {
  it('a permanent rejection (550) is logged and not retried; the other reminders go out', async () => {
    const warnings: string[] = [];
    vi.spyOn(console, 'warn').mockImplementation((line: unknown) => void warnings.push(String(line)));
    const [server, catcher] = await Promise.all([startTestServer(), startSmtpCatcher(0, { refuse: [HOST] })]);
    const mailer = smtpMailer(catcher.url);
    try {
      const providers = await providerIds(server);
      const month = monthsBefore(copenhagenMonth(server.ctx.now()), 2);
      await server.ctx.db.deleteFrom('monthly_reports').where('provider_id', '=', providers[1]).where('month', '=', month).execute();
      expect(await runReminders(server.ctx, mailer)).toEqual({ created: 2, emailed: 1, deferred: 0 });
      expect(await runReminders(server.ctx, mailer)).toEqual({ created: 0, emailed: 0, deferred: 0 });
      expect(catcher.received.map((m) => m.to)).toEqual([[BO]]);
      expect(warnings.some((w) => w.includes('refused by the SMTP server; not retried'))).toBe(true);
    } finally {
      vi.restoreAllMocks();
      mailer.close();
      await Promise.all([server.close(), catcher.close()]);
    }
  });
});

describe('deadline reminders when the SMTP server is down', () => {
  let server: TestServer | undefined;
  let catcher: SmtpCatcher | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all([server?.close(), catcher?.close()]);
  });

  it('the job started with the server logs the failure, keeps serving, and delivers once the SMTP server is back', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)));
    const port = await freePort();
    server = await startTestServer({ reminders: { intervalMs: 150, smtpUrl: `smtp://127.0.0.1:${port}` } });
    const providers = await providerIds(server);
    const month = monthsBefore(copenhagenMonth(server.ctx.now()), 2);
    await server.ctx.db.deleteFrom('monthly_reports').where('provider_id', '=', providers[1]).where('month', '=', month).execute();

    const until = Date.now() + 10_000;
    while (!errors.some((e) => e.includes('will retry on the next run'))) {
      if (Date.now() > until) throw new Error(`no failure was logged: ${errors.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // The notifications exist in the app already; the server still answers.
    expect((await (await server.api('/api/me/notifications', { cookie: await server.as(BO) })).json()).unread).toBe(1);
    expect((await server.api('/api/health')).status).toBe(200);
    // A run marks a notice as e-mailed before it sends and takes the mark back when sending fails,
    // so a run under way may hold one for a moment: every mark must be taken back.
    const marked = (running: TestServer) => running.ctx.db.selectFrom('notifications').select('id').where('emailed_at', 'is not', null).execute();
    const deadline = Date.now() + 5000;
    while ((await marked(server)).length > 0) {
      if (Date.now() > deadline) throw new Error('a notice stayed marked as e-mailed while the SMTP server was down');
      await new Promise((r) => setTimeout(r, 20));
    }

    catcher = await startSmtpCatcher(port);
    const mails = await catcher.waitFor(2);
    expect(mails.map((m) => m.to).flat().sort()).toEqual([BO, HOST].sort());
    // Several more runs: still exactly one e-mail per person.
    await new Promise((r) => setTimeout(r, 600));
    expect(catcher.received).toHaveLength(2);
  });
});
