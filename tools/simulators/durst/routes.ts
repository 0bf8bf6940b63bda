/** Routing of the Durst API below `/api/` (login aside): endpoint keys, allowed methods and 404s. */
import {
	decodeSegment,
	emptyResponse,
	headersToJson,
	jsonResponse,
	mediaType,
	queryToObject,
} from '../common/http';
import type { RouteResult, SimRequest, SimResponse } from '../common/http';
import { parseJson } from '../common/json';
import { printerDetail } from './data';
import type { DurstData } from './data';
import type { Range } from './grid';
import type { DurstTimelinePrinter } from './timelineTypes';
import { DURST_AUTH_HEADER, DURST_ECHO_HEADER, DURST_ENDPOINTS, DURST_PATHS } from './types';

type PrinterAnswer = (printer: DurstTimelinePrinter) => SimResponse;

/** A method other than `allowed` gets 405, counted under the path template with the actual method. */
function only(
	method: string,
	allowed: string,
	endpoint: string,
	handle: () => SimResponse,
): RouteResult {
	const template = endpoint.slice(endpoint.indexOf(' ') + 1);
	if (method !== allowed)
		return { key: `${method} ${template}`, handle: () => emptyResponse(405, { allow: allowed }) };
	return { key: endpoint, handle };
}

type RangedAnswer = (data: DurstData, printer: DurstTimelinePrinter, range: Range) => unknown;

/** The POST endpoints that take `{startDate, endDate}`, by the path segment after the printer id. */
const RANGED = new Map<string, [endpoint: string, answer: RangedAnswer]>([
	['errors', [DURST_ENDPOINTS.errors, (data, printer, range) => data.errors(printer, range)]],
	[
		'inkConsumption',
		[DURST_ENDPOINTS.inkConsumption, (data, printer, range) => data.printerInk(printer, range)],
	],
	['jobs', [DURST_ENDPOINTS.jobs, (data, printer, range) => data.jobs(printer, range)]],
]);

interface PrinterEndpoint {
	method: string;
	endpoint: string;
	answer: PrinterAnswer;
}

/** What `/api/v1/printers/{id}/<rest...>` names, or `undefined` (404). */
function printerEndpoint(
	rest: readonly string[],
	req: SimRequest,
	data: DurstData,
): PrinterEndpoint | undefined {
	if (rest.length === 0) {
		const answer: PrinterAnswer = (printer) => jsonResponse(200, printerDetail(printer));
		return { method: 'GET', endpoint: DURST_ENDPOINTS.printer, answer };
	}
	if (rest.length === 1) {
		const ranged = RANGED.get(rest[0] ?? '');
		if (ranged === undefined) return undefined;
		const [endpoint, answerRange] = ranged;
		const answer: PrinterAnswer = (printer) =>
			data.withRange(req, (range) => answerRange(data, printer, range));
		return { method: 'POST', endpoint, answer };
	}
	if (rest[0] !== 'jobs') return undefined;
	const jobId = decodeSegment(rest[1] ?? '') ?? '';
	if (rest.length === 2) {
		const answer: PrinterAnswer = (printer) => data.jobDetail(printer, jobId);
		return { method: 'GET', endpoint: DURST_ENDPOINTS.job, answer };
	}
	if (rest.length === 3 && rest[2] === 'inkConsumption') {
		const answer: PrinterAnswer = (printer) => data.jobInk(printer, jobId);
		return { method: 'GET', endpoint: DURST_ENDPOINTS.jobInkConsumption, answer };
	}
	return undefined;
}

/** Routes an API path other than login; checking the token is the caller's business. */
export function resolveDurstApi(req: SimRequest, data: DurstData): RouteResult {
	const { method, path } = req;
	const notFound: RouteResult = { key: `${method} ${path}`, handle: () => emptyResponse(404) };
	if (path === DURST_PATHS.echo || path.startsWith(`${DURST_PATHS.echo}/`)) {
		return { key: `${method} ${DURST_PATHS.echo}`, handle: () => echo(req) };
	}
	if (!path.startsWith(`${DURST_PATHS.printers}`)) return notFound;
	const rest = path.slice(DURST_PATHS.printers.length);
	if (rest === '' || rest === '/') {
		return only(method, 'GET', DURST_ENDPOINTS.printers, () =>
			jsonResponse(
				200,
				data.printers().map(({ inkLevelPercent: _ink, ...printer }) => printer),
			),
		);
	}
	const [id, ...after] = rest.slice(1).split('/');
	const target = printerEndpoint(after, req, data);
	if (target === undefined) return notFound;
	const printerId = decodeSegment(id ?? '');
	return only(method, target.method, target.endpoint, () =>
		data.withPrinter(printerId, target.answer),
	);
}

/** Echoes the request (the token header left out), so tests see what a client really sent. */
function echo(req: SimRequest): SimResponse {
	let body: unknown = null;
	if (req.body.length > 0) {
		const parsed = mediaType(req.headers).endsWith('json') ? parseJson(req.body) : undefined;
		body = parsed?.ok === true ? parsed.value : req.body.toString('utf8');
	}
	return jsonResponse(
		200,
		{
			method: req.method,
			path: req.path,
			query: queryToObject(req.query),
			headers: headersToJson(req.headers, [DURST_AUTH_HEADER]),
			body,
		},
		{ [DURST_ECHO_HEADER]: '1' },
	);
}
