// The parent's handle on the client process: forks test/bench/yjsClients.ts, sends it commands
// over IPC with a timeout each, and makes sure it dies with us.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** One client per URL; the URL carries the document name and the token. */
export interface LatencyCommand {
  kind: 'latency';
  docs: Array<{ urls: string[] }>;
  intervalMs: number;
  warmupEdits: number;
  measuredEdits: number;
}
export interface LatencyResult {
  /** Per measured edit: the last receiver's receipt time minus the send time, ms. */
  latencies: number[];
  /** How late the client process's edit timers fired (ms, p99): a busy client process shows here. */
  timerLagP99: number;
  clientCpuMs: number;
  wallMs: number;
}
export type Command =
  | LatencyCommand
  | { kind: 'open'; group: string; urls: string[] }
  | { kind: 'close'; group: string }
  | { kind: 'syncTime'; url: string; keepIn?: string }
  | { kind: 'feed'; url: string; updates: number };

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { id: number; event: string };

export class ClientProcess {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onEvent?: (e: string) => void }>();
  private exited = false;

  constructor() {
    // Inherits tsx's loader flags from our own execArgv, so the child runs TypeScript too.
    this.child = fork(fileURLToPath(new URL('./yjsClients.ts', import.meta.url)), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (reply: Reply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      if ('event' in reply) return w.onEvent?.(reply.event);
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.result);
      else w.reject(new Error(`client process: ${reply.error}`));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      for (const w of this.waiting.values()) w.reject(new Error(`client process exited (${code ?? signal}) while a command was running`));
      this.waiting.clear();
    });
    const kill = () => this.kill();
    process.once('exit', kill);
  }

  get pid() {
    return this.child.pid;
  }

  request<T>(command: Command, timeoutMs: number, onEvent?: (event: string) => void): Promise<T> {
    if (this.exited) return Promise.reject(new Error('client process is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`client process: "${command.kind}" did not finish within ${(timeoutMs / 1000).toFixed(0)} s`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        onEvent,
      });
      this.child.send({ id, command });
    });
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}
