/**
 * A Login Page visitor in raw HTTP, doing what a browser does with the page: GET the link without
 * its #fragment (the reader page), POST the fragment as `ticket` with the page's `step`, and, while
 * the answer is a hold page (form#finish, Several Webhook Processes), wait its data-wait-ms and
 * POST every hidden field of that form back. Every request goes through the cluster's proxy.
 */
import { delay } from '../../../tools/process';
import { ANSWERED_BY, PIN_PROCESS } from '../../../tools/n8n/cluster';
import { httpRequest, type HttpResult } from '../../../tools/n8n/rest';

/** Hold pages followed at most, so a page that holds forever fails instead of hanging. */
const MAX_HOLDS = 10;
/**
 * n8n's own 503 (JSON, not a page of ours): 2.x answers "Database is not ready!" for a while when a
 * ping to PostgreSQL times out on the overloaded machine, before any node runs. Asked again, as a
 * load balancer retrying an unavailable backend or a person reloading would.
 */
const MAX_UNAVAILABLE_RETRIES = 10;

const ENTITIES: Record<string, string> = {
	'&amp;': '&',
	'&lt;': '<',
	'&gt;': '>',
	'&quot;': '"',
	'&#39;': "'",
	'&#96;': '`',
};

function unescapeHtml(text: string): string {
	return text.replace(/&(?:amp|lt|gt|quot|#39|#96);/g, (entity) => ENTITIES[entity]);
}

function attributes(tag: string): Record<string, string> {
	const found: Record<string, string> = {};
	for (const match of tag.matchAll(/([a-zA-Z_:][-a-zA-Z0-9_:.]*)="([^"]*)"/g))
		found[match[1].toLowerCase()] = unescapeHtml(match[2]);
	return found;
}

/** form#finish of a hold page: its wait and its hidden fields; undefined for any other page. */
export function holdForm(
	html: string,
): { waitMs: number; fields: Record<string, string> } | undefined {
	const form = /<form\b[^>]*\bid="finish"[^>]*>([\s\S]*?)<\/form>/.exec(html);
	if (form === null) return undefined;
	const waitMs = Number(attributes(form[0].slice(0, form[0].indexOf('>') + 1))['data-wait-ms']);
	const fields: Record<string, string> = {};
	for (const input of form[1].matchAll(/<input\b[^>]*>/g)) {
		const attrs = attributes(input[0]);
		if (attrs.type === 'hidden' && attrs.name !== undefined) fields[attrs.name] = attrs.value ?? '';
	}
	return { waitMs: Number.isFinite(waitMs) && waitMs >= 0 ? waitMs : 0, fields };
}

export type Outcome = 'accepted' | 'alreadyUsed' | 'other';

export interface Opening {
	outcome: Outcome;
	/** Status of the last answer. */
	status: number;
	/** The page's id (`alreadyUsed`, ...) for a refusal. */
	refusal: string | undefined;
	/** The process that gave the last answer (the proxy's `x-answered-by`). */
	answeredBy: string;
	/** Hold pages followed. */
	holds: number;
	/** Requests asked again after n8n's own 503. */
	retries: number;
	/** The start of the last answer's body, to explain an `other`. */
	excerpt: string;
}

function isN8nUnavailable(answer: HttpResult): boolean {
	return (
		answer.status === 503 && !String(answer.headers['content-type'] ?? '').includes('text/html')
	);
}

function classify(answer: HttpResult, holds: number, retries: number): Opening {
	const refusal = /<h1 id="([A-Za-z]+)">/.exec(answer.body)?.[1];
	const accepted = answer.status === 200 && answer.body.includes('name="autologin_token"');
	return {
		outcome: accepted
			? 'accepted'
			: answer.status === 410 && refusal === 'alreadyUsed'
				? 'alreadyUsed'
				: 'other',
		status: answer.status,
		refusal,
		answeredBy: String(answer.headers[ANSWERED_BY] ?? '?'),
		holds,
		retries,
		excerpt: answer.body.slice(0, 300),
	};
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/**
 * Opens `link` as a browser would, through the proxy on `proxyPort`. `pin`: every request to that
 * webhook process (`webhook-2`) instead of the proxy's turn.
 */
export async function openLink(proxyPort: number, link: string, pin?: string): Promise<Opening> {
	const url = new URL(link);
	const pagePath = url.pathname + url.search; // a browser never sends the fragment
	const ticket = url.hash.slice(1);
	const pinned: Record<string, string> = pin === undefined ? {} : { [PIN_PROCESS]: pin };
	let retries = 0;
	const send = async (method: string, body?: string): Promise<HttpResult> => {
		for (;;) {
			const answer = await httpRequest(proxyPort, method, pagePath, {
				headers: body === undefined ? pinned : { ...FORM, ...pinned },
				body,
				timeoutMs: 60_000,
			});
			if (!isN8nUnavailable(answer) || retries >= MAX_UNAVAILABLE_RETRIES) return answer;
			retries += 1;
			await delay(1_000);
		}
	};
	const reader = await send('GET');
	const step = /name="step" value="([^"]*)"/.exec(reader.body)?.[1];
	if (reader.status !== 200 || step === undefined) return classify(reader, 0, retries);
	let answer = await send('POST', new URLSearchParams({ ticket, step }).toString());
	for (let holds = 0; ; holds++) {
		const hold = answer.status === 200 ? holdForm(answer.body) : undefined;
		if (hold === undefined || holds >= MAX_HOLDS) return classify(answer, holds, retries);
		await delay(hold.waitMs);
		answer = await send('POST', new URLSearchParams(hold.fields).toString());
	}
}
