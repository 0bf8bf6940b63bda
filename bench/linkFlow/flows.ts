/**
 * One flow of each variant over plain HTTP, as a person's browser would drive it: every step's
 * answer is checked, so a fast wrong answer cannot pass as fast.
 */
import type { HttpResult } from '../../tools/n8n/n8nHost';
import { delay } from '../../tools/n8n/n8nHost';
import type { FlowContext, FlowOutcome } from './types';
import { HTTP_LINK_PATH, HTTP_PAGE_PATH } from './workflows';

const EMAIL = 'demo@example.com';

async function timed(
	steps: Map<string, number>,
	name: string,
	call: () => Promise<HttpResult>,
): Promise<HttpResult> {
	const started = process.hrtime.bigint();
	const answer = await call();
	steps.set(name, Number(process.hrtime.bigint() - started) / 1e6);
	return answer;
}

function check(
	condition: boolean,
	step: string,
	what: string,
	answer: HttpResult,
): asserts condition {
	if (!condition)
		throw new Error(
			`${step}: ${what} (status ${answer.status}: ${answer.body.slice(0, 200).replace(/\s+/g, ' ')})`,
		);
}

function isHtml(answer: HttpResult): boolean {
	return String(answer.headers['content-type'] ?? '').startsWith('text/html');
}

/** The `link` of the bot's answer, which must start with `prefix`. */
function linkOf(answer: HttpResult, prefix: string): string {
	check(answer.status === 200, 'link', 'status is not 200', answer);
	let link: unknown;
	try {
		link = (JSON.parse(answer.body) as { link?: unknown }).link;
	} catch {
		link = undefined;
	}
	check(
		typeof link === 'string' && link.startsWith(prefix) && link.length > prefix.length,
		'link',
		`no link starting with ${prefix}`,
		answer,
	);
	return link;
}

const HTML_ENTITIES: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'",
	'&#96;': '`',
};

/**
 * A page that would sign the person in: a form to the simulator's /vsaas/autologin holding a token
 * that Watcher accepts (checked without using it up: the flow ends when n8n has served the page).
 */
function checkAutologinPage(step: string, answer: HttpResult, ctx: FlowContext): void {
	check(answer.status === 200 && isHtml(answer), step, 'not a 200 HTML page', answer);
	check(
		answer.body.includes(`action="${ctx.watcher.url}/vsaas/autologin"`),
		step,
		'no form to the Watcher simulator',
		answer,
	);
	const value = /name="autologin_token" value="([^"]*)"/.exec(answer.body)?.[1];
	check(value !== undefined, step, 'no autologin_token field', answer);
	const token = value.replace(/&(amp|lt|gt|quot|#39|#96);/g, (m) => HTML_ENTITIES[m]);
	const verdict = ctx.watcher.verifyToken(token);
	check(verdict.ok, step, `Watcher would refuse the token (${JSON.stringify(verdict)})`, answer);
}

function requestPath(link: string): string {
	const url = new URL(link);
	return url.pathname + url.search; // a browser never sends the fragment
}

export async function oursFlow(ctx: FlowContext): Promise<FlowOutcome> {
	const steps = new Map<string, number>();
	const { host } = ctx;
	try {
		const linkAnswer = await timed(steps, 'link', () =>
			host.request('POST', '/webhook/watcher-link', { body: { email: EMAIL } }),
		);
		const link = linkOf(linkAnswer, `${host.baseUrl}/webhook/watcher-login#`);
		if (ctx.gapMs > 0) await delay(ctx.gapMs);
		const pagePath = requestPath(link);
		const ticket = link.slice(link.indexOf('#') + 1);

		const reader = await timed(steps, 'page', () => host.request('GET', pagePath));
		check(reader.status === 200 && isHtml(reader), 'page', 'not a 200 HTML page', reader);
		check(reader.body.includes('<form id="redeem"'), 'page', 'no redeem form', reader);
		// The page's script fills in the ticket and submits the form's other fields as they are.
		const step = /name="step" value="([^"]*)"/.exec(reader.body)?.[1];
		check(step !== undefined, 'page', 'no step field', reader);

		// The form has no enctype and action="": a urlencoded POST to the page's own URL.
		const form = new URLSearchParams({ ticket, step }).toString();
		const autologin = await timed(steps, 'ticket', () =>
			host.request('POST', pagePath, {
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: form,
			}),
		);
		checkAutologinPage('ticket', autologin, ctx);
		return { steps };
	} catch (error) {
		return { steps, error: error instanceof Error ? error.message : String(error) };
	}
}

export async function httpFlow(ctx: FlowContext): Promise<FlowOutcome> {
	const steps = new Map<string, number>();
	const { host } = ctx;
	try {
		const linkAnswer = await timed(steps, 'link', () =>
			host.request('POST', `/webhook/${HTTP_LINK_PATH}`, { body: { email: EMAIL } }),
		);
		const link = linkOf(linkAnswer, `${host.baseUrl}/webhook/${HTTP_PAGE_PATH}?token=`);
		if (ctx.gapMs > 0) await delay(ctx.gapMs);
		const page = await timed(steps, 'page', () => host.request('GET', requestPath(link)));
		checkAutologinPage('page', page, ctx);
		return { steps };
	} catch (error) {
		return { steps, error: error instanceof Error ? error.message : String(error) };
	}
}
