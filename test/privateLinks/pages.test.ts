/**
 * The login page's pages: each page's CSP allows exactly its own inline script and style, and
 * forms only where that page posts. The single-use memory has its own file (usedTickets.test.ts).
 */
import { createHash } from 'node:crypto';

import type { Page } from '../../nodes/FlussonicWatcher/privateLinks/pages';
import {
	autologinPage,
	confirmPage,
	readerPage,
	refusalPage,
} from '../../nodes/FlussonicWatcher/privateLinks/pages';

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
	['memory full', refusalPage('memoryFull'), "'none'"],
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

test('refusals answer 410 (used, forgotten, expired) or 400 and post nothing', () => {
	expect(refusalPage('alreadyUsed').status).toBe(410);
	expect(refusalPage('memoryFull').status).toBe(410);
	expect(refusalPage('memoryFull').html).toContain('Ask for a new link.');
	expect(refusalPage('expired').status).toBe(410);
	expect(refusalPage('malformed').status).toBe(400);
	expect(refusalPage('unknownKey').html).toContain('id="unknownKey"');
	expect(refusalPage('tampered').html).not.toContain('<form');
});
