/**
 * Generate Link and Render Login Page, followed the way a browser does: the page's form posted to
 * the simulator's autologin endpoint, which signs the user in or shows its error page. Tokens and
 * Link Base URLs the node refuses: see refused.test.ts.
 */
import {
	WATCHER_AUTOLOGIN_ERROR_MARKER,
	WATCHER_LOGGED_IN_ID,
	WATCHER_SPECIAL_LOGIN,
} from '../../tools/simulators/watcher';
import { byEmail, LINK_BASE, run, sim, useWatcherSimulator } from './support';

useWatcherSimulator();

function unescapeHtml(text: string): string {
	return text
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&#96;/g, '`')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

/** Does what a browser does with the page: reads the form and posts it, then follows the redirect with the cookie. */
async function submitPage(html: string): Promise<{ status: number; page: string }> {
	const action = unescapeHtml(/<form[^>]*action="([^"]*)"/.exec(html)?.[1] ?? '');
	const token = unescapeHtml(/name="autologin_token" value="([^"]*)"/.exec(html)?.[1] ?? '');
	expect(/<form[^>]*method="POST"/.test(html)).toBe(true);
	const posted = await fetch(action, {
		method: 'POST',
		redirect: 'manual',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ autologin_token: token }).toString(),
	});
	if (posted.status !== 302) return { status: posted.status, page: await posted.text() };
	const cookie = posted.headers.get('set-cookie')?.split(';')[0] ?? '';
	const landing = await fetch(new URL(posted.headers.get('location') ?? '/', action), {
		headers: { cookie },
	});
	return { status: landing.status, page: await landing.text() };
}

describe('Generate Link and Render Login Page', () => {
	test('the link carries the URL-encoded token, and the page posts it to Watcher', async () => {
		const result = await run({
			operation: 'generateLink',
			login: byEmail('demo@example.com'),
			linkBaseUrl: `${LINK_BASE}?lang=en`,
		});
		const item = result.output()[0].json;
		const link = new URL(item.link as string);
		expect(`${link.origin}${link.pathname}`).toBe(LINK_BASE);
		expect(link.searchParams.get('lang')).toBe('en');
		expect(link.searchParams.get('token')).toBe(item.autologinToken);
		expect(item.link).not.toContain('@');
		const landing = await submitPage(item.html as string);
		expect(landing.status).toBe(200);
		expect(landing.page).toContain(`<p id="${WATCHER_LOGGED_IN_ID}">demo@example.com</p>`);
	});

	test(`a login like ${WATCHER_SPECIAL_LOGIN} round-trips through token, link and page`, async () => {
		const linkRun = await run({
			operation: 'generateLink',
			login: byEmail(WATCHER_SPECIAL_LOGIN),
			linkBaseUrl: LINK_BASE,
		});
		const link = linkRun.output()[0].json;
		expect(link.login).toBe(WATCHER_SPECIAL_LOGIN);
		const tokenFromLink = new URL(link.link as string).searchParams.get('token');
		expect(tokenFromLink).toBe(link.autologinToken);
		expect(link.link as string).not.toMatch(/["<>' ]/);

		// The webhook hands the query's token to Render Login Page.
		const pageRun = await run(
			{ operation: 'renderLoginPage', token: '={{ $json.query.token }}' },
			{ items: [{ query: { token: tokenFromLink } }] },
		);
		const html = pageRun.output()[0].json.html as string;
		expect(html).not.toContain('"x"<y>');
		expect(html).toContain('o&#39;brien+&quot;x&quot;&lt;y&gt;@example.com');
		expect(html).toContain(`action="${sim.url}/vsaas/autologin"`);
		expect(html).toContain('<button type="submit">');
		const landing = await submitPage(html);
		expect(landing.page).toContain(
			`<p id="${WATCHER_LOGGED_IN_ID}">o&#39;brien+&quot;x&quot;&lt;y&gt;@example.com</p>`,
		);
	});

	test("Render Login Page makes no API call and always targets the credential's server", async () => {
		const token = sim.issueToken('demo@example.com');
		const result = await run(
			{ operation: 'renderLoginPage', token },
			{ credentials: { baseUrl: `${sim.url}/vsaas/` } },
		);
		expect(sim.totalCalls).toBe(0);
		const html = result.output()[0].json.html as string;
		expect(html).toContain(`action="${sim.url}/vsaas/autologin"`);
	});

	test("a tampered token lands on Watcher's error page", async () => {
		const token = sim.issueToken('demo@example.com');
		const tampered = token.replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
		const result = await run({ operation: 'renderLoginPage', token: tampered });
		const landing = await submitPage(result.output()[0].json.html as string);
		expect(landing.status).toBe(403);
		expect(landing.page).toContain(WATCHER_AUTOLOGIN_ERROR_MARKER);
	});

	test('with continueOnFail a bad token gives a page that says the link is invalid and posts nothing', async () => {
		const good = sim.issueToken('demo@example.com');
		const result = await run(
			{ operation: 'renderLoginPage', token: '={{ $json.token }}' },
			{ continueOnFail: true, items: [{ token: good }, { token: 'garbage' }] },
		);
		const [first, second] = result.output();
		expect(first.json.html).toContain('name="autologin_token"');
		expect(second.pairedItem).toEqual({ item: 1 });
		expect(second.json.error).toMatch(/"Token" is not valid/);
		expect(second.json.html).toContain('This login link is not valid');
		expect(second.json.html).not.toContain('<form');
		expect(second.json.html).not.toContain('garbage');
	});
});
