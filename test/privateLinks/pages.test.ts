/**
 * The login page's pages and its single-use memory: each page's CSP allows exactly its own inline
 * script and style, and forms only where that page posts; used ticket ids are kept hashed, pruned
 * at expiry and bounded.
 */
import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { Page } from '../../nodes/FlussonicWatcher/privateLinks/pages';
import {
	autologinPage,
	confirmPage,
	readerPage,
	refusalPage,
} from '../../nodes/FlussonicWatcher/privateLinks/pages';
import {
	MAX_USED_TICKETS,
	isTicketUsed,
	useTicket,
} from '../../nodes/FlussonicWatcher/privateLinks/usedTickets';

const hashOf = (source: string) =>
	`'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

function inline(html: string, tag: 'script' | 'style'): string[] {
	return [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]);
}

function directive(page: Page, name: string): string {
	const found = page.csp.split('; ').find((part) => part.startsWith(`${name} `));
	if (!found) throw new Error(`no ${name} in ${page.csp}`);
	return found.slice(name.length + 1);
}

const pages: Array<[string, Page, string]> = [
	['reader', readerPage(false), "'self'"],
	['reader (click)', readerPage(true), "'self'"],
	['confirm', confirmPage('a@example.com', 'TICKET'), "'self'"],
	[
		'autologin',
		autologinPage('https://watcher.example.com:8443/vsaas/autologin', 'u:1:ab:cd'),
		'https://watcher.example.com:8443',
	],
	['used', refusalPage('alreadyUsed'), "'none'"],
	['other page', refusalPage('otherPage'), "'none'"],
	['not set up', refusalPage('notSetUp'), "'none'"],
	['expired', refusalPage('expired'), "'none'"],
	['tampered', refusalPage('tampered'), "'none'"],
];

test.each(pages)(
	'%s: the CSP allows its own inline script and style only',
	(_name, page, formAction) => {
		const scripts = inline(page.html, 'script');
		expect(directive(page, 'script-src')).toBe(
			scripts.length === 0 ? "'none'" : scripts.map(hashOf).join(' '),
		);
		expect(directive(page, 'style-src')).toBe(inline(page.html, 'style').map(hashOf).join(' '));
		expect(directive(page, 'default-src')).toBe("'none'");
		expect(directive(page, 'form-action')).toBe(formAction);
		expect(page.html).not.toMatch(/<(?:link|img|iframe)\b|https?:\/\/(?!watcher\.example\.com)/);
	},
);

test('the reader page is the same for everyone and holds no ticket', () => {
	expect(readerPage(false)).toEqual(readerPage(false));
	expect(readerPage(false).html).toContain('name="ticket" value=""');
	expect(readerPage(true).html).toContain('name="step" value="confirm"');
});

test('the confirmation page escapes the login and the ticket', () => {
	const page = confirmPage('"><script>alert(1)</script>@example.com', 'a"b');
	expect(page.html).not.toContain('<script>alert(1)');
	expect(page.html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.com');
	expect(page.html).toContain('value="a&quot;b"');
});

test('refusals answer 410 (used, expired) or 400 and post nothing', () => {
	expect(refusalPage('alreadyUsed').status).toBe(410);
	expect(refusalPage('expired').status).toBe(410);
	expect(refusalPage('malformed').status).toBe(400);
	expect(refusalPage('unknownKey').html).toContain('id="unknownKey"');
	expect(refusalPage('tampered').html).not.toContain('<form');
});

describe('single-use memory', () => {
	const NOW = Date.UTC(2026, 10, 23);

	test('used once, known in static data and in this process; ids only as hashes', () => {
		const staticData: IDataObject = {};
		expect(useTicket(staticData, 'wf|a', 'ticket-id-1', NOW + 60_000, NOW)).toBe(true);
		expect(useTicket(staticData, 'wf|a', 'ticket-id-1', NOW + 60_000, NOW)).toBe(false);
		expect(isTicketUsed({}, 'wf|a', 'ticket-id-1', NOW)).toBe(true);
		expect(isTicketUsed(staticData, 'wf|fresh-process', 'ticket-id-1', NOW)).toBe(true);
		expect(isTicketUsed({}, 'wf|other', 'ticket-id-1', NOW)).toBe(false);
		expect(JSON.stringify(staticData)).not.toContain('ticket-id-1');
	});

	test('a look without using (Require a Click) does not lose a use made in between', () => {
		const staticData: IDataObject = {};
		expect(isTicketUsed(staticData, 'wf|i', 't', NOW)).toBe(false);
		expect(useTicket({}, 'wf|i', 't', NOW + 60_000, NOW)).toBe(true);
		expect(isTicketUsed(staticData, 'wf|i', 't', NOW)).toBe(true);
		expect(useTicket(staticData, 'wf|i', 't', NOW + 60_000, NOW)).toBe(false);
	});

	test('forgotten once expired', () => {
		const staticData: IDataObject = {};
		useTicket(staticData, 'wf|b', 't', NOW + 1_000, NOW);
		expect(isTicketUsed(staticData, 'wf|b2', 't', NOW + 999)).toBe(true);
		useTicket(staticData, 'wf|b3', 'u', NOW + 5_000, NOW + 1_000);
		expect(Object.keys(staticData.usedTickets as IDataObject)).toHaveLength(1);
	});

	test(`at most ${MAX_USED_TICKETS}, the soonest to expire forgotten first`, () => {
		const staticData: IDataObject = {};
		for (let i = 0; i <= MAX_USED_TICKETS; i++) {
			useTicket(staticData, 'wf|c', `id-${i}`, NOW + 1_000 + i, NOW);
		}
		expect(Object.keys(staticData.usedTickets as IDataObject)).toHaveLength(MAX_USED_TICKETS);
		expect(isTicketUsed(staticData, 'wf|c', 'id-0', NOW)).toBe(false);
		expect(isTicketUsed(staticData, 'wf|c', `id-${MAX_USED_TICKETS}`, NOW)).toBe(true);
	});

	test('hostile static data is ignored, not trusted', () => {
		const staticData: IDataObject = { usedTickets: { x: 'soon', y: null } as IDataObject };
		expect(isTicketUsed(staticData, 'wf|d', 'x', NOW)).toBe(false);
		expect(useTicket({ usedTickets: 'junk' }, 'wf|e', 'z', NOW + 10, NOW)).toBe(true);
	});
});
