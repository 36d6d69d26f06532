// The reminder job: on start and then every interval (hourly by default) it turns the documentation
// deadlines into notifications, one per user, kind and (network, provider, month): "due within three
// days" to the provider's members, "overdue" to them and the hosts. With SMTP_URL set it also e-mails
// each notice once; a failed send is logged and tried again on a later run.
import { claimForEmail, insertNotifications, releaseEmailClaim, reminderRecipients, unemailed } from '../../db/queries/notifications.ts';
import type { NotificationRow } from '../../db/tables/notifications.table.ts';
import { allNetworks } from '../../db/queries/networks.ts';
import type { AppContext } from '../context.ts';
import { isPermanentRejection, reminderMail, smtpHost, smtpMailer, type Mailer } from './email.ts';
import type { NotificationKind, ReportDue } from '../wire/deadlines.ts';
import { networkDeadlines } from '../contracts/deadlines.ts';

export interface ReminderOptions {
  /** Default: an hour. */
  intervalMs?: number;
  /** smtp://host:port (or smtps://user:pass@host); without it only in-app notifications are made. */
  smtpUrl?: string | null;
  from?: string;
  /** The server's public address, for links in e-mails (e.g. https://samspil.aalborg.dk). */
  publicUrl?: string | null;
  /** Tests pass their own; defaults to SMTP via nodemailer when smtpUrl is set. */
  mailer?: Mailer | null;
}

export interface ReminderRun {
  created: number;
  emailed: number;
  /** Sends that failed and will be tried again later. */
  deferred: number;
}

export const DEFAULT_REMINDER_INTERVAL_MS = 3600_000;

const subjectKey = (networkId: string, due: ReportDue) => `${networkId}|${due.providerId}|${due.month}`;

/** One pass over every network at ctx.now(). */
export async function runReminders(ctx: AppContext, mailer: Mailer | null, publicUrl: string | null = null): Promise<ReminderRun> {
  const run: ReminderRun = { created: 0, emailed: 0, deferred: 0 };
  let smtpDown = false;
  const now = ctx.now();
  const networks = await allNetworks(ctx.db);
  for (const network of networks) {
    const [deadlines, recipients] = await Promise.all([networkDeadlines(ctx.db, network.id, now), reminderRecipients(ctx.db, network.id)]);
    const batches: Array<[NotificationKind, ReportDue[]]> = [
      ['report.due_soon', deadlines.dueSoon],
      ['report.overdue', deadlines.overdue],
    ];
    const rows: NotificationRow[] = [];
    for (const [kind, items] of batches) {
      for (const due of items) {
        const to = recipients.filter((r) => (r.role === 'provider' && r.organisationId === due.providerId) || (kind === 'report.overdue' && r.role === 'host'));
        for (const r of to) {
          rows.push({
            id: ctx.newId(),
            user_id: r.userId,
            network_id: network.id,
            kind,
            subject_key: subjectKey(network.id, due),
            params_json: JSON.stringify({ providerId: due.providerId, providerName: due.providerName, month: due.month, dueDate: due.dueDate, networkName: network.name }),
            created_at: now.toISOString(),
            read_at: null,
            emailed_at: null,
          });
        }
      }
    }
    run.created += await insertNotifications(ctx.db, rows);
    // With the SMTP server down, the in-app notices of every network are still made this run.
    if (!mailer || smtpDown) continue;
    // Only notices still current are e-mailed: a report that came in meanwhile needs no e-mail.
    sending: for (const [kind, items] of batches) {
      const pending = await unemailed(ctx.db, kind, items.map((d) => subjectKey(network.id, d)));
      for (const notice of pending) {
        const at = ctx.now().toISOString();
        if (!(await claimForEmail(ctx.db, notice.id, at))) continue; // another instance has it
        const params = JSON.parse(notice.params_json) as { providerName: string; month: string; dueDate: string; networkName: string };
        const mail = reminderMail(kind, notice.locale, {
          recipientName: notice.name,
          ...params,
          link: publicUrl ? `${publicUrl.replace(/\/$/, '')}/networks/${encodeURIComponent(network.id)}/reports` : null,
        });
        try {
          await mailer.send({ to: notice.email, ...mail });
          run.emailed++;
        } catch (err) {
          if (isPermanentRejection(err)) {
            // Refused for good (e.g. no such mailbox): keep the claim, so it is not sent again and again.
            ctx.log.warn('reminder e-mail refused by the SMTP server; not retried', { notification: notice.id, error: String(err) });
            continue;
          }
          await releaseEmailClaim(ctx.db, notice.id, at);
          run.deferred++;
          // The server is down or unreachable: stop this run's sending; the next run tries again.
          ctx.log.error('reminder e-mail could not be sent; will retry on the next run', { notification: notice.id, error: err instanceof Error ? err.message : String(err) });
          smtpDown = true;
          break sending;
        }
      }
    }
  }
  return run;
}

/** Starts the job (a run now, then every interval); stop() waits for a running pass to finish. */
export function startReminders(ctx: AppContext, options: ReminderOptions = {}) {
  const mailer = options.mailer ?? (options.smtpUrl ? smtpMailer(options.smtpUrl, options.from) : null);
  if (options.smtpUrl) ctx.log.info(`e-mail reminders through ${smtpHost(options.smtpUrl)}`);
  let running: Promise<ReminderRun | null> | null = null;
  let stopped = false;
  const runNow = (): Promise<ReminderRun | null> => {
    if (stopped) return Promise.resolve(null);
    // A pass still running (slow SMTP) is not overlapped: the caller gets that pass.
    running ??= runReminders(ctx, mailer, options.publicUrl ?? null)
      .catch((err: unknown) => {
        ctx.log.error('reminder run failed; will retry on the next run', { error: err instanceof Error ? err.message : String(err) });
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runNow();
  const timer = setInterval(() => void runNow(), options.intervalMs ?? DEFAULT_REMINDER_INTERVAL_MS);
  timer.unref();
  return {
    runNow,
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await running;
      mailer?.close();
    },
  };
}

export type ReminderJob = ReturnType<typeof startReminders>;
