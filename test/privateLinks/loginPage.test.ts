/**
 * The Login Page as a person meets it: links made by Generate Link, posted to the page's webhook
 * through n8n-core's WebhookContext, static data saved as n8n's live webhook handler saves it.
 * A link opens only at the page it was made for, once; the memory survives renaming the node and
 * restarting n8n; forgotten links are refused; a page may answer without starting an execution.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	LINKS_FIELD,
	MAX_USED_TICKETS,
} from '../../nodes/FlussonicWatcher/privateLinks/usedTickets';
import { WatcherSimulator } from '../../tools/simulators/watcher';
import { LoginPageHost } from './loginPageHost';

const API_KEY = 'wk-LOGIN-PAGE-7f21';
const BASE = 'http://localhost:5678/webhook';

let sim: WatcherSimulator;
let host: LoginPageHost;

beforeAll(async () => {
	sim = await WatcherSimulator.start({ apiKey: API_KEY });
	host = await LoginPageHost.start({ flussonicWatcherApi: { baseUrl: sim.url, apiKey: API_KEY } });
});

afterAll(async () => {
	await sim.stop();
});

const signsIn = (html: string) => html.includes('autologin');

describe('a link opens only at the page it was made for', () => {
	test('a link for eu/watcher-login is refused at watcher-login, and opens once at its own page', async () => {
		const link = await host.link(`${BASE}/eu/watcher-login`);
		const other = await host.post({ path: 'watcher-login' }, link);
		expect(other.status).toBe(400);
		expect(other.html).toContain('id="otherPage"');
		expect(other.item?.outcome).toBe('invalid');

		const own = await host.post({ path: 'eu/watcher-login' }, link);
		expect(own.item?.outcome).toBe('loggedIn');
		expect(signsIn(own.html)).toBe(true);
		expect((await host.post({ path: 'eu/watcher-login' }, link)).item?.outcome).toBe('alreadyUsed');
	});

	test('a link for watcher-login is refused at eu/watcher-login and under another prefix', async () => {
		const link = await host.link(`${BASE}/watcher-login-2`);
		expect((await host.post({ path: 'eu/watcher-login-2' }, link)).html).toContain('otherPage');
		const test = await host.link('http://localhost:5678/webhook-test/watcher-login-2');
		expect((await host.post({ path: 'watcher-login-2' }, test)).html).toContain('otherPage');
	});

	test('slashes around the path and percent-encoding are the same page', async () => {
		const link = await host.link(`${BASE}/caf%C3%A9-login/`);
		const visit = await host.post({ path: '/café-login/' }, link);
		expect(visit.item?.outcome).toBe('loggedIn');
	});
});

test('renaming the node and restarting n8n keeps used links used', async () => {
	const page = { path: 'renamed-login', name: 'Watcher Login Page' };
	const link = await host.link(`${BASE}/renamed-login`);
	expect((await host.post(page, link)).item?.outcome).toBe('loggedIn');

	await host.restart();
	const again = await host.post({ ...page, name: 'Sign-in for the plant' }, link);
	expect(again.status).toBe(410);
	expect(again.html).toContain('id="alreadyUsed"');
	expect(again.item?.outcome).toBe('alreadyUsed');
	// The memory is in the workflow's global static data, under its own field, by page path.
	const root = host.savedStaticData.global as IDataObject;
	expect(Object.keys((root[LINKS_FIELD] as IDataObject).usedTickets as IDataObject)).toContain(
		'renamed-login',
	);
});

test('links used before the upgrade (node static data) stay used', async () => {
	const page = { path: 'upgraded-login', name: 'Old Page' };
	const link = await host.link(`${BASE}/upgraded-login`);
	expect((await host.post(page, link)).item?.outcome).toBe('loggedIn');
	// What version 1 saved: SHA-256 of the ticket id, 22 base64url characters, expiry in ms.
	const saved = host.savedStaticData;
	const used = (saved.global as IDataObject)[LINKS_FIELD] as IDataObject;
	const entry = ((used.usedTickets as IDataObject)['upgraded-login'] as IDataObject).u as string;
	const expiresAt = parseInt(entry.slice(12, 18), 36) * 60_000;
	host.savedStaticData = {
		'node:Old Page': { usedTickets: { [`${entry.slice(0, 12)}ABCDEFGHIJ`]: expiresAt } },
	};
	await host.restart();
	expect((await host.post(page, link)).item?.outcome).toBe('alreadyUsed');
});

test('a used link stays used after 5,001 later-expiring links were used at its page', async () => {
	const page = { path: 'daily-login' };
	const victim = await host.link(`${BASE}/daily-login`, 15);
	expect((await host.post(page, victim)).item?.outcome).toBe('loggedIn');
	// Expiries are kept in whole minutes: once the memory is full, links of the minute it last
	// forgot are refused too (fail closed), so a batch that crosses a minute sees a few of those.
	const outcomes = new Map<string, number>();
	for (const link of await host.links(`${BASE}/daily-login`, 60, 5_001)) {
		const outcome = String((await host.post(page, link)).item?.outcome);
		outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
	}
	expect([...outcomes.keys()].sort()).toEqual(
		outcomes.has('memoryFull') ? ['loggedIn', 'memoryFull'] : ['loggedIn'],
	);
	expect(outcomes.get('loggedIn')).toBeGreaterThanOrEqual(MAX_USED_TICKETS);
	await host.restart();
	const again = await host.post(page, victim);
	expect(again.status).toBe(410);
	expect(again.html).toContain('id="memoryFull"');
	expect(again.item?.outcome).toBe('memoryFull');
	// What n8n saves with every visit stays bounded: the whole static data, at the cap.
	expect(Buffer.byteLength(JSON.stringify(host.savedStaticData))).toBeLessThan(65_536);
}, 180_000);

test('a full memory refuses links it may have forgotten, with its own page and outcome', async () => {
	const page = { path: 'busy-login' };
	const early = await host.link(`${BASE}/busy-login`, 15);
	// Later-expiring links fill the memory past its bound: the soonest are dropped.
	const now = Date.now();
	const entries: string[] = [];
	for (let i = 0; i <= MAX_USED_TICKETS; i++) {
		const expiry = Math.ceil((now + 20 * 60_000) / 60_000) + (i % 100);
		entries.push(`${i.toString(36).padStart(12, '-')}${expiry.toString(36).padStart(6, '0')}`);
	}
	host.savedStaticData = {
		global: { [LINKS_FIELD]: { usedTickets: { 'busy-login': { f: 0, u: entries.join('') } } } },
	};
	await host.restart();
	const refused = await host.post(page, early);
	expect(refused.status).toBe(410);
	expect(refused.html).toContain('id="memoryFull"');
	expect(refused.html).toContain('Ask for a new link.');
	expect(refused.item?.outcome).toBe('memoryFull');
	// A link that expires after every remembered one still opens.
	const late = await host.link(`${BASE}/busy-login`, 24 * 60);
	expect((await host.post(page, late)).item?.outcome).toBe('loggedIn');
	const record = (
		((host.savedStaticData.global as IDataObject)[LINKS_FIELD] as IDataObject)
			.usedTickets as IDataObject
	)['busy-login'] as IDataObject;
	expect((record.u as string).length).toBe(MAX_USED_TICKETS * 18);
	expect(JSON.stringify(host.savedStaticData).length).toBeLessThan(66_000);
});

describe('Output Each Visit', () => {
	test('off: the page answers without an execution, and the used mark is saved all the same', async () => {
		const page = { path: 'quiet-login', options: { outputEachVisit: false } };
		const link = await host.link(`${BASE}/quiet-login`);
		const first = await host.post(page, link);
		expect(signsIn(first.html)).toBe(true);
		expect(first.item).toBeUndefined();

		await host.restart();
		const second = await host.post(page, link);
		expect(second.html).toContain('id="alreadyUsed"');
		expect(second.item).toBeUndefined();
	});

	test('on by default: each visit gives its item', async () => {
		const link = await host.link(`${BASE}/loud-login`);
		const visit = await host.post({ path: 'loud-login' }, link);
		expect(visit.item).toMatchObject({ outcome: 'loggedIn', login: 'demo@example.com' });
	});
});
