/**
 * The pages of the one-node login page, each complete (no external resource) and each with its
 * own Content-Security-Policy: only its own inline script and style (by hash), forms only to
 * where that page must post. Pure functions.
 */
import { createHash } from 'node:crypto';

import {
	AUTOLOGIN_SCRIPT,
	PAGE_STYLE,
	buildAutologinPage,
	escapeHtml,
	page,
} from '../autologinPage';
import type { TicketProblem } from './tickets';

export interface Page {
	status: number;
	html: string;
	csp: string;
}

/**
 * The page every link opens, the same for everyone: its script takes the ticket from the fragment
 * (which no server sees), removes it from the address bar and history, and posts it to this node.
 */
const READER_SCRIPT = [
	'(function(){',
	'var ticket=location.hash.slice(1);',
	'try{history.replaceState(null,"",location.pathname+location.search);}catch(e){}',
	'if(!ticket){document.getElementById("status").textContent="This login link is incomplete. Ask for a new link.";return;}',
	'var form=document.getElementById("redeem");',
	'form.elements.ticket.value=ticket;',
	'form.submit();',
	'})();',
].join('');

function hashSource(source: string): string {
	return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

const STYLE_SOURCE = hashSource(PAGE_STYLE);

function csp(script: string | undefined, formAction: string): string {
	return [
		"default-src 'none'",
		`style-src ${STYLE_SOURCE}`,
		`script-src ${script === undefined ? "'none'" : hashSource(script)}`,
		`form-action ${formAction}`,
		"base-uri 'none'",
		"frame-ancestors 'none'",
	].join('; ');
}

export type Step = 'redeem' | 'confirm' | 'finish';

/** Posts the hold page's form once its wait is over. */
const HOLD_SCRIPT = [
	'(function(){',
	'var form=document.getElementById("finish");',
	'setTimeout(function(){form.submit();},Number(form.getAttribute("data-wait-ms")));',
	'})();',
].join('');

/** What a GET of the link answers. With Require a Click, the posted step only shows who it is for. */
export function readerPage(requireClick: boolean): Page {
	const step: Step = requireClick ? 'confirm' : 'redeem';
	return {
		status: 200,
		csp: csp(READER_SCRIPT, "'self'"),
		html: page(
			'Logging in to Flussonic Watcher',
			[
				'<p id="status">Opening your login link…</p>',
				'<noscript><p id="no-script">This login link needs JavaScript: its secret part never leaves your browser except to this page. Turn JavaScript on and open the link again.</p></noscript>',
				'<form id="redeem" method="POST" action="">',
				'<input type="hidden" name="ticket" value="">',
				`<input type="hidden" name="step" value="${step}">`,
				'</form>',
				`<script>${READER_SCRIPT}</script>`,
			].join('\n'),
		),
	};
}

/** Require a Click: who the link logs in, and a button; nothing is redeemed before the click. */
export function confirmPage(login: string, ticketText: string): Page {
	return {
		status: 200,
		csp: csp(undefined, "'self'"),
		html: page(
			'Log in to Flussonic Watcher',
			[
				`<h1 id="confirm">Log in to Flussonic Watcher as ${escapeHtml(login)}?</h1>`,
				'<form id="redeem" method="POST" action="">',
				`<input type="hidden" name="ticket" value="${escapeHtml(ticketText)}">`,
				'<input type="hidden" name="step" value="redeem">',
				'<button type="submit" id="sign-in">Log in</button>',
				'</form>',
				'<p>This link works once. If you did not ask for it, close this page.</p>',
			].join('\n'),
		),
	};
}

/**
 * Several Webhook Processes: the use is marked and claimed; this page posts the claim back once
 * the mark has had time to be saved (claims.ts). It carries no token.
 */
export function holdPage(ticketText: string, claim: string, attempt: number, waitMs: number): Page {
	return {
		status: 200,
		csp: csp(HOLD_SCRIPT, "'self'"),
		html: page(
			'Logging in to Flussonic Watcher',
			[
				'<p id="status">Logging in…</p>',
				`<form id="finish" method="POST" action="" data-wait-ms="${Math.max(0, Math.ceil(waitMs))}">`,
				`<input type="hidden" name="ticket" value="${escapeHtml(ticketText)}">`,
				'<input type="hidden" name="step" value="finish">',
				`<input type="hidden" name="claim" value="${escapeHtml(claim)}">`,
				`<input type="hidden" name="attempt" value="${attempt}">`,
				'</form>',
				`<script>${HOLD_SCRIPT}</script>`,
			].join('\n'),
		),
	};
}

/** The form that posts the token to Watcher, allowed to post there and nowhere else. */
export function autologinPage(autologinUrl: string, token: string): Page {
	return {
		status: 200,
		csp: csp(AUTOLOGIN_SCRIPT, new URL(autologinUrl).origin),
		html: buildAutologinPage(autologinUrl, token),
	};
}

export type Refusal =
	TicketProblem | 'alreadyUsed' | 'memoryFull' | 'unconfirmed' | 'otherPage' | 'notSetUp';

const REFUSALS: Record<Refusal, { status: number; title: string; text: string }> = {
	alreadyUsed: {
		status: 410,
		title: 'This login link has already been used',
		text: 'Each link logs in once. Ask for a new link.',
	},
	// The page could not tell whether the link was used, so it refuses it rather than risk a second use.
	memoryFull: {
		status: 410,
		title: 'This login link can no longer be used',
		text: 'This page has logged in so many people that it no longer remembers links this old. Ask for a new link.',
	},
	// Several Webhook Processes: the use could not be seen saved in time; the link stays used.
	unconfirmed: {
		status: 503,
		title: 'This login link could not be confirmed',
		text: 'The login page is too busy to confirm your login now. Ask for a new link in a minute.',
	},
	expired: {
		status: 410,
		title: 'This login link has expired',
		text: 'Links work for a short time only. Ask for a new link.',
	},
	tampered: {
		status: 400,
		title: 'This login link has been altered',
		text: 'The link is not the one that was sent. Ask for a new link, and copy it whole.',
	},
	unknownKey: {
		status: 400,
		title: 'This login link is not for this page',
		text: 'It was made for another Flussonic Watcher server, or before its API key changed. Ask for a new link.',
	},
	malformed: {
		status: 400,
		title: 'This login link is not valid',
		text: 'The link is incomplete or damaged. Ask for a new link, and copy it whole.',
	},
	otherPage: {
		status: 400,
		title: 'This login link belongs to another page',
		text: 'It was made for another login page. Ask for a new link, and open it as it was sent.',
	},
	notSetUp: {
		status: 500,
		title: 'This login page is not set up',
		text: 'Its Flussonic Watcher credential cannot be used. Tell whoever runs this page; the n8n workflow shows why.',
	},
};

/** Pages that post nothing: forms are not allowed at all. */
export function refusalPage(reason: Refusal): Page {
	const { status, title, text } = REFUSALS[reason];
	return {
		status,
		csp: csp(undefined, "'none'"),
		html: page(title, [`<h1 id="${reason}">${title}</h1>`, `<p>${text}</p>`].join('\n')),
	};
}
