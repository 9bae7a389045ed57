/**
 * Run `read` one at a time: asked while it runs, it runs once more afterwards (however often it
 * was asked), so a burst of events costs at most two reads and the last one sees the latest.
 */
export function coalesce(read: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await read();
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
