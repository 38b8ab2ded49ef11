/**
 * Loaded into the app's process by the page benchmark (`node --expose-gc --import`): on a message
 * from the bench it collects garbage, so the heap is what is really kept, and sends back
 * process.memoryUsage().
 */
process.on('message', (message) => {
  if (message !== 'memory') return;
  globalThis.gc?.();
  process.send?.(process.memoryUsage());
});
