/**
 * The token cache when Analytics restarts while executions run in parallel in one process (a
 * queue-mode worker runs several): each execution holds its own copy of the workflow's static data,
 * loaded when it started, so a copy may still hold the token that just died.
 */
import { DurstTokenCache } from '../../nodes/DurstAnalytics/tokenCache/cache';
import type { LoginResult } from '../../nodes/DurstAnalytics/tokenCache/cache';
import { account, USERNAME } from './support';

/** Logins that answer T1, T2, ...; the login after `hold` waits until `release()` is called. */
function logins() {
	let calls = 0;
	let hold = 0;
	let release: () => void = () => undefined;
	const login = async (): Promise<LoginResult> => {
		calls += 1;
		const token = `T${calls}`;
		if (calls === hold) await new Promise<void>((resolve) => (release = resolve));
		return { token, userName: USERNAME };
	};
	return {
		login,
		calls: () => calls,
		holdNext: () => (hold = calls + 1),
		release: () => release(),
	};
}

async function ticks(n: number): Promise<void> {
	for (let i = 0; i < n; i++) await Promise.resolve();
}

async function until(condition: () => boolean): Promise<void> {
	while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

/**
 * Execution 1 finds T1 dead and logs in again; execution 2 starts during that login with a copy of
 * static data that still holds T1. Whatever the interleaving, execution 2 must end up with the new
 * token and the process must not log in a second time (it did: the queue e2e saw 3 re-logins on 2
 * workers, because execution 2 put the dead T1 from its copy back into process memory over T2).
 */
test.each(Array.from({ length: 8 }, (_, k) => k))(
	'a restart while another execution reads its static data costs one login (interleaving %i)',
	async (k) => {
		const acc = account();
		const server = logins();
		const saved: Record<string, unknown> = {};
		const first = await new DurstTokenCache({
			staticData: saved,
			account: acc,
			login: server.login,
		}).get();
		expect(first.token).toBe('T1');
		const copy = () => structuredClone(saved);
		const execution1 = new DurstTokenCache({
			staticData: copy(),
			account: acc,
			login: server.login,
		});
		const execution2 = new DurstTokenCache({
			staticData: copy(),
			account: acc,
			login: server.login,
		});

		server.holdNext();
		const renewed = execution1.refresh('T1'); // the server refused T1
		await until(() => server.calls() === 2);
		const got = execution2.get();
		await ticks(k);
		server.release();
		expect((await renewed).token).toBe('T2');
		let token = (await got).token;
		if (token === 'T1') token = (await execution2.refresh('T1')).token; // refused: asks again
		expect(token).toBe('T2');
		expect(server.calls()).toBe(2);
	},
);

test('a dead token in an execution that started before the restart is never put back into memory', async () => {
	const acc = account();
	const server = logins();
	const saved: Record<string, unknown> = {};
	await new DurstTokenCache({ staticData: saved, account: acc, login: server.login }).get();
	const old = structuredClone(saved); // an execution that started before the restart
	const execution1 = new DurstTokenCache({
		staticData: structuredClone(saved),
		account: acc,
		login: server.login,
	});
	expect((await execution1.refresh('T1')).token).toBe('T2');
	// Memory is fine; the old copy's T1 must not replace T2 even when memory is read after it.
	const late = new DurstTokenCache({ staticData: old, account: acc, login: server.login });
	expect((await late.get()).token).toBe('T2');
	expect((await late.refresh('T1')).token).toBe('T2');
	expect(server.calls()).toBe(2);
});

test('concurrent refusals of one token in many executions cost one login, with slow static reads', async () => {
	const acc = account();
	const server = logins();
	const saved: Record<string, unknown> = {};
	await new DurstTokenCache({ staticData: saved, account: acc, login: server.login }).get();
	server.holdNext();
	const executions = Array.from(
		{ length: 20 },
		() =>
			new DurstTokenCache({
				staticData: structuredClone(saved),
				account: acc,
				login: server.login,
			}),
	);
	const results = executions.map(async (cache, i) =>
		i % 2 === 0 ? await cache.refresh('T1') : await cache.get(),
	);
	await until(() => server.calls() === 2);
	server.release();
	const tokens = await Promise.all(results);
	// Those that got T1 from their copy before the new token existed ask again once refused.
	const final = await Promise.all(
		tokens.map(async (t, i) =>
			t.token === 'T1' ? (await executions[i].refresh('T1')).token : t.token,
		),
	);
	expect(new Set(final)).toEqual(new Set(['T2']));
	expect(server.calls()).toBe(2);
});
