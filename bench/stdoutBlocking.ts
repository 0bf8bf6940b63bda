/**
 * Preloaded into `n8n execute` (NODE_OPTIONS=--require) by the benchmark.
 *
 * n8n prints the run (about 2 MB for 1,000 Watcher items) and then calls process.exit(). A child's
 * stdout from spawn() is a socket, so Node writes to it asynchronously and process.exit() drops
 * whatever is still queued: seen as `printed no run (exit code 0)` in about half of such runs.
 * Blocking writes make the print complete before n8n can exit.
 */
interface BlockingHandle {
	setBlocking?: (blocking: boolean) => number;
}

for (const stream of [process.stdout, process.stderr]) {
	const handle = (stream as unknown as { _handle?: BlockingHandle })._handle;
	if (handle !== undefined && typeof handle.setBlocking === 'function') handle.setBlocking(true);
}
