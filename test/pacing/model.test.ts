/**
 * The real pace in the discrete-event model of one n8n process (tools/pacing/model.ts): a client
 * whose answers report a round trip late, which the rounds of pace.test.ts do not have. The model's
 * time is simulated, so these are not timed tests: the figures are the model's, deterministic.
 */
import { DEFAULT_MODEL, runModel } from '../../tools/pacing/model';

jest.setTimeout(60_000);

describe('pace in the model of one n8n process', () => {
	it('a queueing server (4 places, 20 ms) behind 20 ms of network: as fast as its places allow', async () => {
		const result = await runModel(DEFAULT_MODEL);
		// 1,000 answers of 20 ms through 4 places take 5 s at least. 8 in flight (4 at the server, 4
		// on the network) lose 5% of that to the client's own turns; 16, tried now and then, do not
		// bring 10% more answers per second, so 8 stay (before the steps of answers per second, the
		// limit swung 11-26 here: docs/benchmark.md, runs J and K).
		expect(result.ms).toBeLessThan(5_000 * 1.1);
		expect(result.peak).toBeGreaterThanOrEqual(4);
		expect(result.peak).toBeLessThanOrEqual(16);
	});

	it('a healthy server: the limit still grows to what the client can send', async () => {
		const cpuBound = await runModel({ ...DEFAULT_MODEL, k: 1_000, netMs: 0, cpuMs: 0.7 });
		// 1.4 ms of client CPU per item: 1,400 ms at least whatever the pace does.
		expect(cpuBound.ms).toBeLessThan(1_400 * 1.1);
		const light = await runModel({ ...DEFAULT_MODEL, k: 1_000, netMs: 0, cpuMs: 0.3 });
		// 0.6 ms per item: 600 ms at least; the pace must keep 40 or more in flight to get near it
		// (753 ms: the first keep's confirming step costs about 25 ms here, paid for the queueing
		// server's peak).
		expect(light.ms).toBeLessThan(600 * 1.3);
		expect(light.peak).toBeGreaterThanOrEqual(40);
	});
});
