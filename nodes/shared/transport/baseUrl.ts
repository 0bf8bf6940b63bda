/**
 * Where a credential's secrets may go: its Server URL's origin and, when the URL has a path, below
 * that path only. Parsed once per base URL, not per request.
 */
import { LruMap } from '../lru';

interface Base {
	origin: string;
	/** The base URL's path without a trailing slash: '' for a server at the root. */
	path: string;
}

/** An execution sends thousands of requests to the same few base URLs. */
const bases = new Map<string, Base>();
const MAX_BASES = 64;

function baseOf(baseUrl: string): Base {
	let base = bases.get(baseUrl);
	if (base === undefined) {
		const parsed = new URL(baseUrl);
		base = { origin: parsed.origin, path: parsed.pathname.replace(/\/+$/, '') };
		if (bases.size >= MAX_BASES) bases.clear();
		bases.set(baseUrl, base);
	}
	return base;
}

export function originOf(baseUrl: string): string {
	return baseOf(baseUrl).origin;
}

/** Servers that strip `;parameters` (Tomcat, Spring, some proxies) read `..;` as `..`. */
function disguised(segment: string): boolean {
	const head = segment.split(';')[0];
	return head === '.' || head === '..' || /[/\\]/.test(segment);
}

/**
 * Why `target` is not under the credential's base URL, or undefined when it is. A base with a
 * path (`https://apps.example.com/durst`) shares its host with other applications, so the origin
 * alone does not confine the secrets: the path must stay below the base's, and no segment may
 * hide a separator or a dot segment from the URL parser: percent-encoded once or twice
 * (`..%2Fadmin`, `%252e%252e`) or with `;parameters` (`..;`), which a server or proxy that
 * decodes or strips them before routing would follow.
 */
export function outsideBase(baseUrl: string, target: URL): string | undefined {
	const base = baseOf(baseUrl);
	if (target.origin !== base.origin) return 'it leads to another server';
	const path = target.pathname;
	if (base.path !== '' && path !== base.path && !path.startsWith(`${base.path}/`)) {
		return `it leaves the Server URL's path ${base.path}`;
	}
	for (const part of path.slice(base.path.length).split('/')) {
		let decoded: string;
		try {
			decoded = decodeURIComponent(part);
		} catch {
			return 'it holds a malformed percent-encoding';
		}
		let twice = decoded;
		try {
			twice = decodeURIComponent(decoded);
		} catch {
			// A literal "%" that is not an escape: nothing a second decoding could turn into a separator.
		}
		if (disguised(part) || disguised(decoded) || disguised(twice)) {
			return 'it holds a "/", "\\" or dot segment in disguise (percent-encoded, or followed by ";"), which a server may read as a way out of the Server URL\'s path';
		}
	}
	return undefined;
}

/** Verdicts by base URL and URL: an execution checks the same few URLs thousands of times. */
const verdicts = new LruMap<string, string | null>(256);
/** Longer URLs are checked each time: a verdict is not worth keeping a huge key in memory. */
const MAX_REMEMBERED_LENGTH = 2048;

/** `outsideBase` of a URL as text, remembered for the URLs an execution sends again and again. */
export function outsideBaseOf(baseUrl: string, url: string): string | undefined {
	const key = `${baseUrl}\n${url}`;
	const known = verdicts.get(key);
	if (known !== undefined) return known ?? undefined;
	const verdict = outsideBase(baseUrl, new URL(url));
	if (key.length <= MAX_REMEMBERED_LENGTH) verdicts.set(key, verdict ?? null);
	return verdict;
}
