import type { EventHandler, EventName } from '../events.ts';
import { newId } from '../ids.ts';
import type { Dispatcher } from './dispatcher.ts';

export interface OnOptions {
  /**
   * A stable name makes the subscription durable and shared: every process that
   * registers it shares one position per tenant (each event handled once among them),
   * and after a restart it resumes where it stopped. Without a name the handler is
   * local to this process and receives the events committed while it is registered.
   */
  name?: string;
}

/** `plugin.on(event, handler)`: a handler as an outbox subscriber; returns the unsubscribe. */
export function subscribeHandler<K extends EventName>(
  dispatcher: Dispatcher,
  event: K,
  handler: EventHandler<K>,
  options: OnOptions = {},
): () => Promise<void> {
  const name = options.name ?? `local:${event}:${newId('sub')}`;
  dispatcher.subscribe({
    name,
    events: new Set([event]),
    async deliver(outboxEvent, attempt) {
      await handler(outboxEvent.payload as never, {
        id: outboxEvent.id,
        occurredAt: outboxEvent.occurredAt,
        attempt,
      });
      return true;
    },
  });
  return () => dispatcher.unsubscribe(name, options.name === undefined);
}
