/**
 * The auto-login page. Watcher accepts an auto-login token only as an HTML form POST, so a link a
 * person can click must lead to a page that posts the token; these functions build that page and
 * the frame every other page of the package shares. Pure functions: no n8n, no I/O.
 */

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
	'`': '&#96;',
};

export function escapeHtml(value: string): string {
	return value.replace(/[&<>"'`]/g, (char) => HTML_ESCAPES[char]);
}

/** Inline on every page; its hash goes into the login page's Content-Security-Policy. */
export const PAGE_STYLE =
	'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem;cursor:pointer}';
/** The auto-login page's only script; static, so a hash can allow it. */
export const AUTOLOGIN_SCRIPT = 'document.getElementById("autologin").submit();';

export function page(title: string, body: string): string {
	return [
		'<!DOCTYPE html>',
		'<html lang="en">',
		'<head>',
		'<meta charset="utf-8">',
		'<meta name="viewport" content="width=device-width, initial-scale=1">',
		// The token is a credential: keep it out of Referer headers and search indexes.
		'<meta name="referrer" content="no-referrer">',
		'<meta name="robots" content="noindex, nofollow">',
		`<title>${escapeHtml(title)}</title>`,
		`<style>${PAGE_STYLE}</style>`,
		'</head>',
		'<body>',
		body,
		'</body>',
		'</html>',
		'',
	].join('\n');
}

/** A page that posts `token` to `autologinUrl` as soon as it loads; the button covers browsers without scripts. */
export function buildAutologinPage(autologinUrl: string, token: string): string {
	return page(
		'Logging in to Flussonic Watcher',
		[
			`<form id="autologin" method="POST" action="${escapeHtml(autologinUrl)}">`,
			`<input type="hidden" name="autologin_token" value="${escapeHtml(token)}">`,
			'<p>Signing you in to Flussonic Watcher…</p>',
			'<noscript><p>Press the button to continue.</p></noscript>',
			'<button type="submit">Continue to Flussonic Watcher</button>',
			'</form>',
			`<script>${AUTOLOGIN_SCRIPT}</script>`,
		].join('\n'),
	);
}
