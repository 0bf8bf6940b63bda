/**
 * What the webhook-process test measures: links made in one execution, waves of openings 20 at a
 * time through the proxy, and the used marks a Login Page's record holds in n8n's database.
 */
import type { N8nCluster } from '../../../tools/n8n/cluster';
import { httpRequest } from '../../../tools/n8n/rest';
import { delay } from '../../../tools/process';
import { openLink, type Opening } from './client';
import { LINK_MAKER_PATH, type LoginPageConfig } from './workflows';

/** Characters of one used mark in `usedTickets[<path>].u` (12 of hash, 6 of expiry). */
const ENTRY_LENGTH = 18;

export function proxyPort(cluster: N8nCluster): number {
	if (cluster.proxy === undefined) throw new Error('the cluster has no proxy');
	return cluster.proxy.port;
}

/**
 * `count` private links for `page`, made by one execution of the link maker (through the proxy:
 * main serves no production webhook here), each pointing at the proxy.
 */
export async function makeLinks(
	cluster: N8nCluster,
	page: LoginPageConfig,
	count: number,
	emails: string[],
): Promise<string[]> {
	const base = `${cluster.proxy?.url ?? ''}/webhook/${page.path}`;
	const answer = await httpRequest(proxyPort(cluster), 'POST', `/webhook/${LINK_MAKER_PATH}`, {
		body: {
			links: Array.from({ length: count }, (_, i) => ({ email: emails[i % emails.length], base })),
		},
		timeoutMs: 180_000,
	});
	if (answer.status !== 200)
		throw new Error(`link maker answered ${answer.status}: ${answer.body.slice(0, 500)}`);
	const items = JSON.parse(answer.body) as Array<{ link?: unknown; error?: unknown }>;
	const links = items.map((item) => item.link).filter((link) => typeof link === 'string');
	if (links.length !== count)
		throw new Error(`asked for ${count} links, got ${links.length}: ${answer.body.slice(0, 500)}`);
	return links;
}

/** Opens every link once, `concurrency` at a time, through the proxy's round robin. */
export async function openAll(
	cluster: N8nCluster,
	links: string[],
	concurrency = 20,
): Promise<Opening[]> {
	const port = proxyPort(cluster);
	const results: Opening[] = new Array<Opening>(links.length);
	let next = 0;
	const lane = async (): Promise<void> => {
		while (next < links.length) {
			const index = next++;
			results[index] = await openLink(port, links[index]);
		}
	};
	await Promise.all(Array.from({ length: concurrency }, lane));
	return results;
}

/** Used marks in the page's record of its workflow's static data, as PostgreSQL holds it now. */
export async function storedMarks(cluster: N8nCluster, page: LoginPageConfig): Promise<number> {
	const entries = await cluster.sql(
		`select coalesce("staticData"::json->'global'->'n8nNodesWatcherLinks'->'usedTickets'->'${page.path}'->>'u', '') from workflow_entity where id = '${page.workflowId}'`,
	);
	return Math.floor(entries.trim().length / ENTRY_LENGTH);
}

/**
 * The marks stored once n8n has saved what it answered: polls until `expected` are there or the
 * count stops changing for 2 s (n8n saves static data right after each answer).
 */
export async function settledMarks(
	cluster: N8nCluster,
	page: LoginPageConfig,
	expected: number,
): Promise<number> {
	let last = -1;
	let stableSince = Date.now();
	const until = Date.now() + 15_000;
	for (;;) {
		const marks = await storedMarks(cluster, page);
		if (marks >= expected) return marks;
		if (marks !== last) {
			last = marks;
			stableSince = Date.now();
		} else if (Date.now() - stableSince >= 2_000 || Date.now() > until) return marks;
		await delay(250);
	}
}

/** How many openings each process answered last (`webhook-1: 103, webhook-2: 97`). */
export function perProcess(openings: Opening[]): string {
	const counts = new Map<string, number>();
	for (const opening of openings)
		counts.set(opening.answeredBy, (counts.get(opening.answeredBy) ?? 0) + 1);
	return [...counts.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([name, count]) => `${name}: ${count}`)
		.join(', ');
}

export function countOf(openings: Opening[], outcome: Opening['outcome']): number {
	return openings.filter((opening) => opening.outcome === outcome).length;
}

/** Openings by outcome and hold pages followed (`accepted after 1 hold: 96, alreadyUsed after 1 hold: 104`). */
export function breakdown(openings: Opening[]): string {
	const counts = new Map<string, number>();
	for (const o of openings) {
		const key = `${o.outcome === 'other' ? `${o.status} ${o.refusal ?? 'other'}` : o.outcome} after ${o.holds} hold${o.holds === 1 ? '' : 's'}`;
		counts.set(key, (counts.get(key) ?? 0) + 1);
	}
	return [...counts.entries()]
		.sort(([a], [b]) => a.localeCompare(b))
		.map(([key, count]) => `${key}: ${count}`)
		.join(', ');
}

/** Requests asked again after n8n's own 503, over all openings. */
export function retriesOf(openings: Opening[]): number {
	return openings.reduce((sum, opening) => sum + opening.retries, 0);
}

/** Whether the page itself answered (accepted, refused as used, or held): it then marked the link used. */
export function pageMarked(opening: Opening): boolean {
	return opening.outcome !== 'other' || opening.holds > 0;
}

/** The first few openings that were neither accepted nor refused as used, for a failure message. */
export function oddOnes(openings: Opening[]): string {
	return openings
		.filter((opening) => opening.outcome === 'other')
		.slice(0, 3)
		.map((o) => `${o.status} from ${o.answeredBy} (${o.holds} holds): ${o.excerpt}`)
		.join('\n');
}
