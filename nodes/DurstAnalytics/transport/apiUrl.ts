/** Where a Durst API path leads: checked before any request, since the token travels with it. */
import { outsideBase } from '../../shared/transport/baseUrl';

/**
 * Resolves a user-supplied API path against the server. The token must never travel to another
 * host, so anything that is not a plain path on the credential's origin is refused before any request.
 */
export function resolveApiUrl(
	baseUrl: string,
	path: unknown,
): { url: string; pathname: string } | { problem: string } {
	if (typeof path !== 'string' || path.trim() === '') return { problem: 'the path is empty' };
	const trimmed = path.trim();
	if (trimmed.length > 2048) return { problem: 'the path is longer than 2048 characters' };
	if (/[\u0000-\u001f\u007f\s\\]/.test(trimmed)) {
		return { problem: 'the path contains spaces, control characters or backslashes' };
	}
	if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) {
		return {
			problem: "the path is an absolute URL; only paths on the credential's server are allowed",
		};
	}
	if (trimmed.startsWith('//'))
		return { problem: 'the path starts with "//", which would name another host' };
	const relative = trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
	let resolved: URL;
	try {
		resolved = new URL(`${baseUrl}${relative}`);
	} catch {
		return { problem: 'the path does not form a valid URL with the server URL' };
	}
	const outside = outsideBase(baseUrl, resolved);
	if (outside !== undefined) return { problem: outside };
	return { url: resolved.toString(), pathname: resolved.pathname };
}
