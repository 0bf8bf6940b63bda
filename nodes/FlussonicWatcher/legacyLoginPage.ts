/**
 * The token-in-query link of version 1 and of the link type Token in Query: the token rides in the
 * link's `token` query parameter, and a Webhook workflow running Render Login Page turns it into
 * the auto-login page. Private links (the Login Page node) replace it; see privateLinks/.
 * Pure functions: no n8n, no I/O.
 */
import { page } from './autologinPage';
import { MAX_AUTOLOGIN_TOKEN_LENGTH } from './transport/vendor';

/**
 * The documented shape is `login:unix-time:hex-salt:hex-signature`. The login part is free text
 * (an email address can hold quotes and angle brackets), so only control characters are refused there.
 */
const TOKEN_SHAPE = /^[^\u0000-\u001f\u007f]+:\d{1,12}:[0-9a-f]{1,64}:[0-9a-f]{8,128}$/i;

export function tokenProblem(token: unknown): string | undefined {
	if (typeof token !== 'string' || token.trim() === '') return 'the token is empty';
	if (token.length > MAX_AUTOLOGIN_TOKEN_LENGTH)
		return 'the token is too long to be an Auto-Login token';
	if (!TOKEN_SHAPE.test(token))
		return 'the token does not look like a Flussonic Watcher Auto-Login token';
	return undefined;
}

/** Shown instead of the auto-login page when the link's token is missing or malformed; posts nothing. */
export function buildInvalidLinkPage(): string {
	return page(
		'Invalid login link',
		[
			'<h1 id="invalid-link">This login link is not valid</h1>',
			'<p>The link is incomplete or has been altered. Ask for a new link.</p>',
		].join('\n'),
	);
}

/** The link a person clicks: the login page's public URL with the token as the `token` query parameter. */
export function buildLink(linkBaseUrl: string, token: string): string {
	const url = new URL(linkBaseUrl);
	url.searchParams.set('token', token);
	return url.toString();
}
