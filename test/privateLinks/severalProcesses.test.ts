/**
 * A login page served by two n8n processes on one database, as webhook processes in queue mode:
 * each request loads static data and saves it whole after the answer, last writer wins. A request
 * that loaded before another saved is played with `loaded` (its stale copy). Shows the mark lost
 * by one-step redemption, the heal that writes it back, and Several Webhook Processes' confirmed
 * use, which redeems a link once whatever the order of saves.
 */
import type { IDataObject } from 'n8n-workflow';

import { CONFIRM_AFTER_MS, MAX_ATTEMPTS } from '../../nodes/FlussonicWatcher/privateLinks/claims';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import type { PageSpec, Visit } from './loginPageHost';
import { LoginPageHost } from './loginPageHost';

const API_KEY = 'wk-TWO-PROCESSES-33c1';
const BASE = 'http://localhost:5678/webhook';

let sim: WatcherSimulator;
let a: LoginPageHost;
let b: LoginPageHost;

beforeAll(async () => {
	sim = await WatcherSimulator.start({ apiKey: API_KEY });
	a = await LoginPageHost.start({ flussonicWatcherApi: { baseUrl: sim.url, apiKey: API_KEY } });
	b = await a.anotherProcess();
});

afterAll(async () => {
	await sim.stop();
});

const wait = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const copy = (): IDataObject => structuredClone(a.savedStaticData);

/** The hidden fields of the hold page's form, as its script posts them. */
function holdForm(visit: Visit): { body: IDataObject; waitMs: number } {
	const form = /<form id="finish"[^>]*data-wait-ms="(\d+)"/.exec(visit.html);
	if (!form) throw new Error(`not a hold page (${visit.status}): ${visit.html.slice(0, 200)}`);
	const body: IDataObject = {};
	for (const [, name, value] of visit.html.matchAll(/name="(\w+)" value="([^"]*)"/g)) {
		if (name !== 'ticket' && name !== 'step') body[name] = value;
	}
	return { body, waitMs: Number(form[1]) };
}

/** Follows hold pages as a browser would, on `hosts` in turn, until an answer that is not one. */
async function finishOn(
	hosts: LoginPageHost[],
	page: PageSpec,
	link: string,
	first: Visit,
): Promise<Visit> {
	let visit = first;
	for (let i = 0; visit.html.includes('id="finish"'); i++) {
		const { body, waitMs } = holdForm(visit);
		await wait(waitMs);
		visit = await hosts[i % hosts.length].post(page, link, 'finish', { body });
	}
	return visit;
}

describe('one-step redemption (the option off)', () => {
	const page = { path: 'one-step' };

	test('a save of an older copy loses a used mark; a refused visit at the process that made it writes it back', async () => {
		const [x, y] = await a.links(`${BASE}/one-step`, 15, 2);
		const stale = copy();
		expect((await a.post(page, x)).item?.outcome).toBe('loggedIn');
		// B's request loaded before A saved: its save drops X's mark.
		expect((await b.post(page, y, 'redeem', { loaded: stale })).item?.outcome).toBe('loggedIn');
		const lost = await a.anotherProcess();
		expect((await lost.post(page, x, 'redeem', { loaded: copy() })).item?.outcome).toBe('loggedIn');
		// (That second login is the loss measured in the README.) Lost again, then A, which
		// remembers X, refuses it and writes the mark back although nothing new was used.
		a.savedStaticData = stale;
		expect((await a.post(page, x)).item?.outcome).toBe('alreadyUsed');
		expect((await (await a.anotherProcess()).post(page, x)).item?.outcome).toBe('alreadyUsed');
	});
});

describe('Several Webhook Processes: confirmed use', () => {
	const page = { path: 'confirmed', options: { severalWebhookProcesses: true } };

	test('the first answer is a hold page without the token; its claim redeems once', async () => {
		const link = await a.link(`${BASE}/confirmed`);
		const first = await a.post(page, link);
		expect(first.status).toBe(200);
		expect(first.item).toBeUndefined();
		expect(first.html).not.toContain('autologin_token');
		expect(holdForm(first).waitMs).toBeGreaterThanOrEqual(CONFIRM_AFTER_MS);
		const done = await finishOn([b], page, link, first);
		expect(done.item?.outcome).toBe('loggedIn');
		expect(done.html).toContain('autologin_token');
		// The same claim again, and the link again, at either process: used.
		const again = await b.post(page, link, 'finish', { body: holdForm(first).body });
		expect(again.item?.outcome).toBe('alreadyUsed');
		expect((await a.post(page, link)).item?.outcome).toBe('alreadyUsed');
	}, 20_000);

	test('a claim posted back before its time is held again, not redeemed', async () => {
		const link = await a.link(`${BASE}/confirmed`);
		const first = await a.post(page, link);
		const early = await b.post(page, link, 'finish', { body: holdForm(first).body });
		expect(early.html).toContain('id="finish"');
		expect(early.html).not.toContain('autologin_token');
		expect((await finishOn([a], page, link, early)).item?.outcome).toBe('loggedIn');
	}, 20_000);

	test('a mark lost to a save of an older copy is claimed again and the link still opens once', async () => {
		const [x, y] = await a.links(`${BASE}/confirmed`, 15, 2);
		const stale = copy();
		const holdX = await a.post(page, x);
		await b.post(page, y, 'redeem', { loaded: stale });
		// A process that never saw X (a third one, or B after a restart) gets X's claim back.
		const fresh = await a.anotherProcess();
		const done = await finishOn([fresh, b], page, x, holdX);
		expect(done.item?.outcome).toBe('loggedIn');
		const restarted = await a.anotherProcess();
		expect((await restarted.post(page, x)).item?.outcome).toBe('alreadyUsed');
	}, 30_000);

	test('a mark written back without its claim (another visit at the same process) still lets its maker log in once', async () => {
		const [x, y, z] = await a.links(`${BASE}/confirmed`, 15, 3);
		const stale = copy();
		const holdX = await a.post(page, x);
		// B saves an older copy: X's mark and claim are gone. A's next save writes the mark back
		// from its memory, and its own claim with it.
		await b.post(page, y, 'redeem', { loaded: stale });
		await a.post(page, z);
		const done = await finishOn([b], page, x, holdX);
		expect(done.item?.outcome).toBe('loggedIn');
		expect((await b.post(page, x)).item?.outcome).toBe('alreadyUsed');
	}, 30_000);

	test('a process that saw the mark, asked by a copy that lost it, holds its maker instead of refusing', async () => {
		const [x, y] = await a.links(`${BASE}/confirmed`, 15, 2);
		const stale = copy();
		const holdX = await a.post(page, x);
		// B loads X's mark and claim with another visit, so B remembers X used.
		await b.post(page, y);
		await wait(holdForm(holdX).waitMs);
		// X's confirmation reaches B with a copy that lost both (a save of an older copy won).
		const atB = await b.post(page, x, 'finish', { body: holdForm(holdX).body, loaded: stale });
		expect(atB.item?.outcome).toBeUndefined();
		expect(atB.html).toContain('id="finish"');
		expect((await finishOn([a, b], page, x, atB)).item?.outcome).toBe('loggedIn');
		expect((await b.post(page, x)).item?.outcome).toBe('alreadyUsed');
	}, 30_000);

	test('a process that saw the link redeemed refuses a second claim made where the mark was lost', async () => {
		const link = await a.link(`${BASE}/confirmed`);
		const stale = copy();
		const first = await a.post(page, link);
		expect((await finishOn([a], page, link, first)).item?.outcome).toBe('loggedIn');
		// B sees the redeemed entry; later a stale save loses mark and entry, and a process that
		// never saw the link lets a second visitor claim it.
		await b.post(page, await a.link(`${BASE}/confirmed`));
		a.savedStaticData = stale;
		const second = await (await a.anotherProcess()).post(page, link);
		expect(second.html).toContain('id="finish"');
		a.savedStaticData = stale;
		const refused = await finishOn([b], page, link, second);
		expect(refused.item?.outcome).toBe('alreadyUsed');
	}, 30_000);

	test('the same link opened at both processes at once logs in exactly once', async () => {
		const link = await a.link(`${BASE}/confirmed`);
		const stale = copy();
		const first = await a.post(page, link);
		const second = await b.post(page, link, 'redeem', { loaded: stale });
		const outcomes = await Promise.all([
			finishOn([a], page, link, first),
			finishOn([b], page, link, second),
		]);
		expect(outcomes.map((visit) => visit.item?.outcome).sort()).toEqual([
			'alreadyUsed',
			'loggedIn',
		]);
	}, 30_000);

	test('a forged or damaged claim opens nothing', async () => {
		const link = await a.link(`${BASE}/confirmed`);
		const first = await a.post(page, link);
		const { body } = holdForm(first);
		await wait(CONFIRM_AFTER_MS + 100);
		const forged = await b.post(page, link, 'finish', {
			body: { ...body, claim: 'AAAAAAAAAAAAAAAAAAAAAA' },
		});
		expect(forged.item?.outcome).toBe('alreadyUsed');
		const damaged = await b.post(page, link, 'finish', { body: { ...body, claim: '<x>' } });
		expect(damaged.status).toBe(400);
		expect(damaged.item?.outcome).toBe('invalid');
		expect((await finishOn([a], page, link, first)).item?.outcome).toBe('loggedIn');
	}, 20_000);

	test(`after ${MAX_ATTEMPTS} holds the page gives up, and the link stays used`, async () => {
		const link = await a.link(`${BASE}/confirmed`);
		const first = await a.post(page, link);
		const late = await b.post(page, link, 'finish', {
			body: { ...holdForm(first).body, attempt: String(MAX_ATTEMPTS) },
		});
		expect(late.status).toBe(503);
		expect(late.html).toContain('id="unconfirmed"');
		expect(late.item?.outcome).toBe('unconfirmed');
		expect((await a.post(page, link)).item?.outcome).toBe('alreadyUsed');
	});
});
