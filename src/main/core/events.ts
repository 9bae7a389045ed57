import { EventEmitter } from 'node:events';
import type { RiggerEvent, RiggerEventType } from '../../shared/events';

/** The core's event bus: typed, with `on` returning its own unsubscribe. */
export interface CoreEvents {
  emit(event: RiggerEvent): void;
  on<T extends RiggerEventType>(
    type: T,
    handler: (event: Extract<RiggerEvent, { type: T }>) => void,
  ): () => void;
  onAny(handler: (event: RiggerEvent) => void): () => void;
}

/** Make an event bus. A throwing listener is logged and never breaks the emitter. */
export function createEvents(): CoreEvents {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(100);
  const guard =
    <E>(handler: (event: E) => void) =>
    (event: E) => {
      try {
        handler(event);
      } catch (err) {
        console.error('event listener failed', err);
      }
    };
  return {
    emit(event) {
      emitter.emit(event.type, event);
      emitter.emit('*', event);
    },
    on(type, handler) {
      const wrapped = guard(handler);
      emitter.on(type, wrapped);
      return () => emitter.off(type, wrapped);
    },
    onAny(handler) {
      const wrapped = guard(handler);
      emitter.on('*', wrapped);
      return () => emitter.off('*', wrapped);
    },
  };
}
