// Child processes of the benchmark (the client process, the memory-measured servers): fork one,
// send it commands over IPC with a timeout each, and make sure it dies with the runner.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string } | { id: number; event: string };

const running = new Set<BenchChild<any>>();
// However the runner ends, no child is left behind.
process.once('exit', () => {
  for (const child of running) child.kill();
});

export class BenchChild<C extends { kind: string }> {
  private readonly child: ChildProcess;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; onEvent?: (e: string) => void }>();
  private exited = false;

  constructor(
    script: URL,
    private readonly label: string,
    nodeOptions: string[] = [],
  ) {
    // Keeps tsx's loader flags from our own execArgv, so the child runs TypeScript too.
    this.child = fork(fileURLToPath(script), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [...process.execArgv, ...nodeOptions] });
    running.add(this);
    this.child.on('message', (reply: Reply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      if ('event' in reply) return w.onEvent?.(reply.event);
      this.waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.result);
      else w.reject(new Error(`${label}: ${reply.error}`));
    });
    this.child.on('exit', (code, signal) => {
      this.exited = true;
      running.delete(this);
      for (const w of this.waiting.values()) w.reject(new Error(`${label} exited (${code ?? signal}) while a command was running`));
      this.waiting.clear();
    });
  }

  request<T>(command: C, timeoutMs: number, onEvent?: (event: string) => void): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.label} is not running`));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${this.label}: "${command.kind}" did not finish within ${(timeoutMs / 1000).toFixed(0)} s`));
      }, timeoutMs);
      const done = (settle: () => void) => {
        clearTimeout(timer);
        settle();
      };
      this.waiting.set(id, { resolve: (v) => done(() => resolve(v as T)), reject: (e) => done(() => reject(e)), onEvent });
      this.child.send({ id, command });
    });
  }

  kill() {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

/** The child's side: runs each command it is sent and answers; exits when the runner goes away. */
export function serveCommands<C>(run: (command: C, emit: (event: string) => void) => Promise<unknown>) {
  process.on('message', ({ id, command }: { id: number; command: C }) => {
    run(command, (event) => process.send?.({ id, event }))
      .then((result) => process.send?.({ id, ok: true, result }))
      .catch((err: unknown) => process.send?.({ id, ok: false, error: err instanceof Error ? err.message : String(err) }));
  });
  process.on('disconnect', () => process.exit(0));
}
