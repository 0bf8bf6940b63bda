/**
 * The single-use memory: used ticket ids kept hashed, per page path, in the workflow's global
 * static data; forgotten at expiry; past its bound it forgets the soonest to expire and refuses
 * every ticket that expires at or before the latest it forgot (it fails closed).
 */
import type { IDataObject } from 'n8n-workflow';

import {
	LINKS_FIELD,
	MAX_USED_TICKETS,
	ticketState,
	useTicket,
} from '../../nodes/FlussonicWatcher/privateLinks/usedTickets';

const NOW = Date.UTC(2026, 10, 23);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

const fresh = (): { global: IDataObject } => ({ global: {} });
const record = (data: { global: IDataObject }, page: string) =>
	((data.global[LINKS_FIELD] as IDataObject).usedTickets as IDataObject)[page] as {
		f: number;
		u: string;
	};

test('used once, known in static data and in this process; ids only as hashes', () => {
	const data = fresh();
	expect(useTicket(data, 'p-a', 'ticket-id-1', NOW + MINUTE, NOW)).toBe('unused');
	expect(useTicket(data, 'p-a', 'ticket-id-1', NOW + MINUTE, NOW)).toBe('alreadyUsed');
	expect(ticketState(fresh(), 'p-a', 'ticket-id-1', NOW + MINUTE, NOW)).toBe('alreadyUsed');
	expect(ticketState(fresh(), 'p-other', 'ticket-id-1', NOW + MINUTE, NOW)).toBe('unused');
	expect(JSON.stringify(data)).not.toContain('ticket-id-1');
});

test('a look without using (Require a Click) does not lose a use made in between', () => {
	const data = fresh();
	expect(ticketState(data, 'p-i', 't', NOW + MINUTE, NOW)).toBe('unused');
	expect(useTicket(fresh(), 'p-i', 't', NOW + MINUTE, NOW)).toBe('unused');
	expect(ticketState(data, 'p-i', 't', NOW + MINUTE, NOW)).toBe('alreadyUsed');
	expect(useTicket(data, 'p-i', 't', NOW + MINUTE, NOW)).toBe('alreadyUsed');
});

test('forgotten once expired', () => {
	const data = fresh();
	useTicket(data, 'p-b', 't', NOW + MINUTE, NOW);
	expect(ticketState(data, 'p-b', 't', NOW + MINUTE, NOW + MINUTE - 1)).toBe('alreadyUsed');
	useTicket(data, 'p-b', 'u', NOW + 5 * MINUTE, NOW + MINUTE);
	expect(record(data, 'p-b').u).toHaveLength(18);
});

describe(`past ${MAX_USED_TICKETS} unexpired entries`, () => {
	/** 31-day links used at one page, each expiring a little later than the one before. */
	function fill(page: string, count: number): { global: IDataObject } {
		const data = fresh();
		for (let i = 0; i < count; i++) {
			useTicket(data, page, `id-${i}`, NOW + 31 * DAY + i * MINUTE, NOW);
		}
		return data;
	}

	test('a used link stays used: the soonest to expire are dropped, and refused by the floor', () => {
		const data = fill('p-c', MAX_USED_TICKETS + 5_000);
		for (const i of [0, 1, 4_999, 5_000, MAX_USED_TICKETS + 4_999]) {
			expect(ticketState(data, 'p-c', `id-${i}`, NOW + 31 * DAY + i * MINUTE, NOW)).not.toBe(
				'unused',
			);
			// After a restart too: only static data is left.
			expect(
				ticketState(structuredClone(data), 'p-c-copy', `id-${i}`, NOW + 31 * DAY + i * MINUTE, NOW),
			).toBe('unused');
		}
		expect(useTicket(data, 'p-c', 'id-0', NOW + 31 * DAY, NOW)).toBe('memoryFull');
		expect(useTicket(data, 'p-c', 'id-4999', NOW + 31 * DAY + 4_999 * MINUTE, NOW)).toBe(
			'memoryFull',
		);
		// Unseen links that expire at or before the floor are refused; later ones open.
		expect(useTicket(data, 'p-c', 'never-seen', NOW + MINUTE, NOW)).toBe('memoryFull');
		expect(useTicket(data, 'p-c', 'late', NOW + 40 * DAY, NOW)).toBe('unused');
		const { f, u } = record(data, 'p-c');
		expect(u).toHaveLength(MAX_USED_TICKETS * 18);
		expect(f * MINUTE).toBeGreaterThanOrEqual(NOW + 31 * DAY + 5_000 * MINUTE);
	});

	test('the saved memory is one compact string under 64 KB', () => {
		const data = fill('p-size', 10_000);
		const bytes = Buffer.byteLength(JSON.stringify(data.global));
		expect(bytes).toBeLessThan(65_536);
		expect(bytes).toBeGreaterThan(MAX_USED_TICKETS * 18);
	});

	test('once the floor has passed, it refuses nothing the expiry would not', () => {
		const data = fill('p-d', MAX_USED_TICKETS + 1);
		const after = NOW + 31 * DAY + MINUTE + 1;
		expect(useTicket(data, 'p-d', 'next', after + MINUTE, after)).toBe('unused');
		expect(record(data, 'p-d').f).toBe(0);
	});
});

test('several processes (or a restart) merge what each remembers', () => {
	const a = fresh();
	useTicket(a, 'p-m', 'one', NOW + MINUTE, NOW);
	const b = structuredClone(a);
	useTicket(b, 'p-m', 'two', NOW + 2 * MINUTE, NOW);
	// `a` is older static data; this process remembers both.
	expect(useTicket(a, 'p-m', 'two', NOW + 2 * MINUTE, NOW)).toBe('alreadyUsed');
	expect(ticketState(b, 'p-m', 'one', NOW + MINUTE, NOW)).toBe('alreadyUsed');
});

test('links used before the upgrade, kept in node static data, are merged in once', () => {
	const legacyHash = 'Jp7cC0yAePGbbAzBz0MKmVlWbqGv0vJfq1U9RTlfk1A'.slice(0, 22);
	const data = { global: {}, node: { usedTickets: { [legacyHash]: NOW + MINUTE } } as IDataObject };
	// The hash of nothing we know: it only has to stay in memory and come out in the new form.
	useTicket(data, 'p-legacy', 'new', NOW + 2 * MINUTE, NOW);
	expect(data.node.usedTickets).toBeUndefined();
	expect(record(data, 'p-legacy').u).toContain(legacyHash.slice(0, 12));
});

test('hostile static data is ignored entry by entry, not trusted', () => {
	const data = {
		global: {
			[LINKS_FIELD]: { usedTickets: { 'p-h': { f: 'soon', u: '!!!!' + 'a'.repeat(40) } } },
		},
	};
	expect(useTicket(data, 'p-h', 'z', NOW + MINUTE, NOW)).toBe('unused');
	expect(useTicket({ global: { [LINKS_FIELD]: 'junk' } }, 'p-h2', 'z', NOW + 10, NOW)).toBe(
		'unused',
	);
});

test('other pages keep their memory; pages whose links all expired are dropped', () => {
	const data = fresh();
	useTicket(data, 'p-x', 'x', NOW + MINUTE, NOW);
	useTicket(data, 'p-y', 'y', NOW + DAY, NOW);
	useTicket(data, 'p-z', 'z', NOW + DAY, NOW + 2 * MINUTE);
	const pages = (data.global[LINKS_FIELD] as IDataObject).usedTickets as IDataObject;
	expect(Object.keys(pages).sort()).toEqual(['p-y', 'p-z']);
});

test('an expiry past what an entry can hold is refused and leaves the memory intact', () => {
	const data = fresh();
	expect(useTicket(data, 'p-far', 'ticket-near', NOW + MINUTE, NOW)).toBe('unused');
	const before = record(data, 'p-far').u;
	expect(useTicket(data, 'p-far', 'ticket-far', 36 ** 6 * MINUTE, NOW)).toBe('memoryFull');
	expect(record(data, 'p-far').u).toBe(before);
	expect(useTicket(data, 'p-far', 'ticket-near', NOW + MINUTE, NOW)).toBe('alreadyUsed');
});
