/**
 * A module worker asked questions one at a time and answered in order: the plumbing the
 * pre-training data worker (`pretrain_batches.ts`) and the gradient worker (`grad_worker.ts`)
 * share. A reply `{ kind: "error", message }` (or the worker failing) rejects every pending
 * request with the worker's message.
 * @module
 */

/** What every worker may answer: an error, beside its own replies. */
export interface WorkerError {
  kind: "error";
  message: string;
}

/** A started worker: requests answered in the order they are sent. */
export interface RpcWorker<Req, Rep> {
  /** Sends `req` (moving `transfer`'s buffers to the worker) and waits for its reply. */
  send(req: Req, transfer?: Transferable[]): Promise<Rep>;
  /** Stops the worker; pending requests never settle. */
  terminate(): void;
}

/**
 * Starts the module worker at `url` (`what` names it in errors) and sends it `init`; returns once
 * it has answered, or stops it and throws the worker's error.
 */
export async function startRpcWorker<Req, Rep extends { kind: string }>(
  url: URL,
  what: string,
  init: Req,
): Promise<RpcWorker<Req, Rep>> {
  const worker = new Worker(url.href, { type: "module" });
  const pending: PromiseWithResolvers<Rep>[] = [];
  const fail = (message: string) => {
    for (const p of pending.splice(0)) p.reject(new Error(`${what}: ${message}`));
  };
  worker.onmessage = (e: MessageEvent<Rep | WorkerError>) => {
    const reply = e.data;
    if (reply.kind === "error") fail((reply as WorkerError).message);
    else pending.shift()?.resolve(reply as Rep);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    fail(e.message);
  };
  const rpc: RpcWorker<Req, Rep> = {
    send(req, transfer = []) {
      const p = Promise.withResolvers<Rep>();
      pending.push(p);
      worker.postMessage(req, transfer);
      return p.promise;
    },
    terminate: () => worker.terminate(),
  };
  try {
    await rpc.send(init);
  } catch (e) {
    worker.terminate();
    throw e;
  }
  return rpc;
}

/**
 * The worker's side: answers each request with `handle`'s reply, one at a time in order (a handler
 * may be async), and a failure with `{ kind: "error" }` carrying its stack.
 */
export function serveRpc<Req, Rep>(
  handle: (req: Req) => Promise<{ reply: Rep; transfer?: Transferable[] }>,
): void {
  const scope = globalThis as unknown as {
    onmessage: ((e: MessageEvent<Req>) => void) | null;
    postMessage(reply: Rep | WorkerError, transfer?: Transferable[]): void;
  };
  let queue: Promise<void> = Promise.resolve();
  scope.onmessage = (e) => {
    const req = e.data;
    queue = queue.then(async () => {
      try {
        const { reply, transfer = [] } = await handle(req);
        scope.postMessage(reply, transfer);
      } catch (err) {
        scope.postMessage({ kind: "error", message: (err as Error).stack ?? String(err) });
      }
    });
  };
}
