/** Typed events plugins subscribe to; emitted after the change they describe has committed. */
export interface EventMap {
  'purchase.created': {
    tenantId: string;
    purchaseId: string;
    planId: string;
    clientId: string;
    source: string;
  };
  'credit.changed': {
    tenantId: string;
    purchaseId: string;
    kind: string;
    reservationId: string | null;
    ticketId: string | null;
  };
  'reservation.changed': { tenantId: string; reservationId: string; status: string; creditState: string };
  'ticket.changed': { tenantId: string; ticketId: string; status: string };
}
export type EventName = keyof EventMap;
export type PunchcardEvent = { [K in EventName]: { name: K; payload: EventMap[K] } }[EventName];
export type EventHandler<K extends EventName> = (payload: EventMap[K]) => void | Promise<void>;

export interface EventBus {
  on<K extends EventName>(name: K, handler: EventHandler<K>): () => void;
  emit(event: PunchcardEvent): Promise<void>;
}

/** A handler that throws is reported, never allowed to undo or block the committed change. */
export function createEventBus(onHandlerError: (error: unknown) => void = console.error): EventBus {
  const handlers = new Map<EventName, Set<EventHandler<EventName>>>();
  return {
    on(name, handler) {
      const set = handlers.get(name) ?? new Set();
      set.add(handler as EventHandler<EventName>);
      handlers.set(name, set);
      return () => set.delete(handler as EventHandler<EventName>);
    },
    async emit(event) {
      for (const handler of handlers.get(event.name) ?? []) {
        try {
          await handler(event.payload as never);
        } catch (error) {
          onHandlerError(error);
        }
      }
    },
  };
}
