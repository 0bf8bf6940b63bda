/** The browser side of Watcher: the pages an auto-login and the web UI answer with. */
import { escapeHtml, htmlResponse } from '../common/http';
import type { SimResponse } from '../common/http';
import { TOKEN_REJECT_MESSAGES } from './tokens';
import type { TokenRejectReason } from './tokens';
import {
	WATCHER_AUTOLOGIN_ERROR_MARKER,
	WATCHER_AUTOLOGIN_ERROR_REASON_ID,
	WATCHER_LOGGED_IN_ID,
	WATCHER_NOT_LOGGED_IN_ID,
	WATCHER_PATHS,
	WATCHER_SESSION_COOKIE,
} from './types';

function page(title: string, bodyHtml: string): string {
	return (
		'<!DOCTYPE html><html><head><meta charset="utf-8"><title>' +
		escapeHtml(title) +
		'</title></head><body>' +
		bodyHtml +
		'</body></html>'
	);
}

export function readCookie(header: string | undefined, name: string): string | undefined {
	if (header === undefined) return undefined;
	for (const part of header.split(';')) {
		const eq = part.indexOf('=');
		if (eq < 0) continue;
		if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
	}
	return undefined;
}

export function autologinFailedPage(reason: TokenRejectReason): SimResponse {
	const html = page(
		'Auto-login failed',
		`${WATCHER_AUTOLOGIN_ERROR_MARKER}<p id="${WATCHER_AUTOLOGIN_ERROR_REASON_ID}">` +
			`${escapeHtml(TOKEN_REJECT_MESSAGES[reason])}</p>` +
			`<p id="${WATCHER_NOT_LOGGED_IN_ID}">You are not logged in.</p>`,
	);
	return htmlResponse(403, html);
}

/** The redirect to the UI that sets the session cookie; a token without lifetime gives a browser session. */
export function sessionRedirect(sessionId: string, lifetime: number | undefined): SimResponse {
	const maxAge = lifetime === undefined ? '' : `; Max-Age=${lifetime}`;
	return htmlResponse(302, page('Redirecting', '<a href="/vsaas/">Continue</a>'), {
		location: WATCHER_PATHS.ui,
		'set-cookie': `${WATCHER_SESSION_COOKIE}=${sessionId}; HttpOnly; Path=/${maxAge}`,
	});
}

/** The UI page: who is logged in, or that nobody is. */
export function uiPage(login: string | undefined): SimResponse {
	if (login === undefined) {
		return htmlResponse(
			200,
			page(
				'Watcher',
				`<h1>Watcher</h1><p id="${WATCHER_NOT_LOGGED_IN_ID}">You are not logged in.</p>`,
			),
		);
	}
	return htmlResponse(
		200,
		page('Watcher', `<h1>Watcher</h1><p id="${WATCHER_LOGGED_IN_ID}">${escapeHtml(login)}</p>`),
	);
}
