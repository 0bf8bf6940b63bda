/** Shared set-up of the trigger tests: a Durst simulator with only scripted data, a user per test. */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';

import { PollHarness } from '../harness/poll';
import { DURST_AUTH_HEADER, DurstSimulator } from '../../tools/simulators/durst';

export const MINUTE = 60_000;

export interface TriggerFixture {
	sim: DurstSimulator;
	user: { username: string; password: string };
	credentials(): Record<string, ICredentialDataDecryptedObject>;
	trigger(parameters: INodeParameters, staticData?: IDataObject): PollHarness;
	/** Every password and token the simulator handed out: none may appear in output or static data. */
	secrets(): string[];
}

/** Registers the hooks; the returned object's fields are valid inside tests. */
export function useTriggerFixture(): TriggerFixture {
	let counter = 0;
	const passwords: string[] = [];
	const fixture = {
		user: { username: '', password: '' },
		credentials() {
			return {
				durstAnalyticsApi: {
					baseUrl: fixture.sim.url,
					...fixture.user,
					ignoreSslIssues: false,
				},
			};
		},
		trigger(parameters: INodeParameters, staticData?: IDataObject) {
			return new PollHarness(parameters, fixture.credentials(), staticData);
		},
		secrets() {
			const tokens = fixture.sim.tokenBearingRequests.map((entry) =>
				String(entry.headers[DURST_AUTH_HEADER]),
			);
			return [...passwords, ...new Set(tokens)];
		},
	} as unknown as TriggerFixture;

	beforeAll(async () => {
		fixture.sim = await DurstSimulator.start({ generated: false });
	});
	afterAll(async () => {
		await fixture.sim.stop();
	});
	beforeEach(() => {
		counter += 1;
		// Each test its own user: the process-memory token layer of one test cannot serve another.
		fixture.user = { username: `trigger-${counter}`, password: `pa ss&${counter}?#` };
		passwords.push(fixture.user.password);
		fixture.sim.setUsers([fixture.user]);
		fixture.sim.clearTimeline();
		fixture.sim.resetCounters();
		fixture.sim.clearRequestLog();
		fixture.sim.clearFailures();
	});
	return fixture;
}

/** What a test asserts of an emitted error item. */
export function errorSummary(items: IDataObject[] | null): string[] {
	return (items ?? []).map((item) => `${String(item.printerId)} ${String(item.errorNr)}`);
}

/**
 * Moves n8n's clock (only Date is faked: sockets and timers run for real) and the simulator's
 * together; registers the hook that puts both back after each test.
 */
export function useFakeClock(f: TriggerFixture): {
	fakeDate: (now: number) => void;
	clockAt: (ms: number) => void;
} {
	afterEach(() => {
		jest.useRealTimers();
		f.sim.setClock(Date.now());
	});
	return {
		fakeDate: (now: number): void => {
			jest.useFakeTimers({
				doNotFake: [
					'hrtime',
					'nextTick',
					'performance',
					'queueMicrotask',
					'setImmediate',
					'clearImmediate',
					'setInterval',
					'clearInterval',
					'setTimeout',
					'clearTimeout',
				],
				now,
			});
		},
		clockAt: (ms: number): void => {
			jest.setSystemTime(ms);
			f.sim.setClock(ms);
		},
	};
}
