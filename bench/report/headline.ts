/**
 * The benchmark's first table: what a user feels at the largest N, our nodes against the HTTP
 * Request node at default settings and at equal requests in flight, the chat-bot link flow, and
 * how many scopes meet each headline target. The full table follows it in the report.
 */
import type { CaseId, Product } from '../cases/specs';
import { IN_FLIGHT } from '../cases/specs';
import {
	DEFAULT_LIMIT,
	EQUAL_IN_FLIGHT_LIMIT,
	LINK_FLOW_LIMIT,
	TARGET_DEFAULT,
	TARGET_EQUAL,
	TARGET_WARM_CACHE,
} from './targets';
import { pacingHeadline } from './pacingMarkdown';
import type { FlowFigures, Row, TargetCheck } from './types';

const PAIRS: Record<Product, { byDefault: CaseId; all: CaseId; ours20: CaseId; their20: CaseId }> =
	{
		durst: { byDefault: 'e', all: 'c', ours20: 'e20', their20: 'f20' },
		watcher: { byDefault: 'wC10', all: 'wHttp', ours20: 'w20', their20: 'wH20' },
	};

function ms(row: Row | undefined): string {
	if (row === undefined) return '-';
	if (row.failed.length === row.runs) return 'FAILED';
	return `${row.nodeTimeMs.toLocaleString('en-US')} ms (${row.maxInFlight ?? '?'})`;
}

function ratio(ours: Row | undefined, theirs: Row | undefined, limit: number): string {
	if (ours === undefined || theirs === undefined) return '-';
	if (ours.failed.length === ours.runs || theirs.failed.length === theirs.runs) return 'FAILED';
	const value = ours.nodeTimeMs / Math.max(theirs.nodeTimeMs, 1);
	return `**${value.toFixed(2)}x** ${value <= limit ? 'PASS' : 'MISS'}`;
}

function flowRatio(flow: FlowFigures): number {
	return flow.ours.p95Ms / Math.max(flow.http.p95Ms, 1);
}

export function headline(rows: Row[], checks: TargetCheck[], flow?: FlowFigures): string[] {
	const lines: string[] = ['## Headline', ''];
	const matrix = rows.filter((row) => row.pacing === undefined);
	const n = Math.max(0, ...matrix.map((row) => row.n));
	const at = (caseId: CaseId, latencyMs: number): Row | undefined =>
		matrix.find((row) => row.caseId === caseId && row.n === n && row.latencyMs === latencyMs);
	const latencies = [...new Set(matrix.map((row) => row.latencyMs))].sort((x, y) => x - y);
	if (n > 0) {
		lines.push(
			`${n.toLocaleString('en-US')} items, node time (most requests in flight at once). ` +
				`"All at once" is the HTTP Request node as it comes; "${IN_FLIGHT} in flight" is HTTP Request with Batching set to keep about ${IN_FLIGHT} in flight.`,
		);
		lines.push('');
		lines.push(
			`| Product | Latency | Ours, default (adaptive) | HTTP Request, all at once | Ratio (<= ${DEFAULT_LIMIT}x) | Ours, ${IN_FLIGHT} | HTTP Request, ${IN_FLIGHT} in flight | Ratio (<= ${EQUAL_IN_FLIGHT_LIMIT}x) |`,
		);
		lines.push('|---|---:|---:|---:|---|---:|---:|---|');
		for (const product of ['durst', 'watcher'] as Product[]) {
			const pair = PAIRS[product];
			for (const latency of latencies) {
				const [byDefault, all, ours20, their20] = [
					pair.byDefault,
					pair.all,
					pair.ours20,
					pair.their20,
				].map((id) => at(id, latency));
				if ([byDefault, all, ours20, their20].every((row) => row === undefined)) continue;
				lines.push(
					`| ${product === 'durst' ? 'Durst: Get Printer' : 'Watcher: Generate Link'} | ${latency} ms | ${ms(byDefault)} | ${ms(all)} | ${ratio(byDefault, all, DEFAULT_LIMIT)} | ${ms(ours20)} | ${ms(their20)} | ${ratio(ours20, their20, EQUAL_IN_FLIGHT_LIMIT)} |`,
				);
			}
		}
		lines.push('');
	}
	if (flow !== undefined) {
		const value = flowRatio(flow);
		lines.push(
			`Chat-bot link flow, ${flow.flows} flows at ${flow.latencyMs} ms Watcher latency (link asked, page served; ours also redeems the ticket): ` +
				`ours p50 ${flow.ours.p50Ms} ms / p95 ${flow.ours.p95Ms} ms, Webhook + HTTP Request + Respond to Webhook p50 ${flow.http.p50Ms} ms / p95 ${flow.http.p95Ms} ms: ` +
				`p95 **${value.toFixed(2)}x** ${value <= LINK_FLOW_LIMIT ? 'PASS' : 'MISS'} (<= ${LINK_FLOW_LIMIT}x)` +
				(flow.ours.errors + flow.http.errors > 0
					? `; ERRORS: ours ${flow.ours.errors}, theirs ${flow.http.errors}`
					: '') +
				'.',
		);
		lines.push('');
	}
	lines.push(...pacingHeadline(rows, checks));
	const headlineTargets = [TARGET_DEFAULT, TARGET_EQUAL, TARGET_WARM_CACHE];
	const count = (target: string, status: string): number =>
		checks.filter((check) => check.target === target && check.status === status).length;
	lines.push(
		`Targets: ${headlineTargets
			.map((target) => {
				const ran = checks.filter((check) => check.target === target).length;
				if (ran === 0) return `${target}: not run`;
				const failed = count(target, 'failed');
				return `${target}: ${count(target, 'pass')} of ${ran} pass${failed > 0 ? `, ${failed} FAILED` : ''}`;
			})
			.join('; ')} (every scope, both latencies and all N, in the Targets table below).`,
	);
	lines.push('');
	return lines;
}
