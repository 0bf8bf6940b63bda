/**
 * Removes secrets from text that may reach a user, a log or an execution record.
 *
 * A secret is looked for in every form it takes on the wire or in an echo of it (raw, the two URL
 * encodings n8n and browsers use, form encoding, JSON and HTML escaping, base64), and text a server
 * wrote is also cleared of any piece of a secret of PIECE_LENGTH characters or more, since a hostile
 * server may echo half a password.
 */
const REDACTED = '[redacted]';

/** Shorter values would shred ordinary words and protect nothing. */
const MIN_SECRET_LENGTH = 3;
const PIECE_LENGTH = 6;

/** RFC 3986, as `qs` (and so n8n's query strings) encodes: `encodeURIComponent` plus `!'()*`. */
function rfc3986(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
	);
}

function htmlEscaped(value: string): string {
	return value
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

export function secretForms(secret: string): string[] {
	const forms = new Set<string>([secret]);
	for (const encoded of [encodeURIComponent(secret), rfc3986(secret)]) {
		forms.add(encoded);
		forms.add(encoded.replace(/%20/g, '+'));
		forms.add(encoded.toLowerCase());
	}
	forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
	forms.add(JSON.stringify(secret).slice(1, -1));
	forms.add(htmlEscaped(secret));
	const bytes = Buffer.from(secret, 'utf8');
	forms.add(bytes.toString('base64'));
	forms.add(bytes.toString('base64').replace(/=+$/, ''));
	forms.add(bytes.toString('base64url'));
	return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * The secrets of one credential (and the tokens it obtained). Forms are computed once per secret;
 * scrubbing is linear in the text: whole forms by `split`, pieces by a set of fixed-length windows.
 */
export class SecretSet {
	private readonly forms = new Set<string>();

	private readonly pieces = new Set<string>();

	constructor(secrets: ReadonlyArray<string | undefined> = []) {
		for (const secret of secrets) this.add(secret);
	}

	private readonly known = new Set<string>();

	add(secret: string | undefined): void {
		if (!secret || secret.length < MIN_SECRET_LENGTH || this.known.has(secret)) return;
		this.known.add(secret);
		for (const form of secretForms(secret)) {
			if (this.forms.has(form)) continue;
			this.forms.add(form);
			for (let start = 0; start + PIECE_LENGTH <= form.length; start++) {
				this.pieces.add(form.slice(start, start + PIECE_LENGTH));
			}
		}
	}

	/** Text we wrote ourselves: whole forms only (our words never hold a piece by accident). */
	scrub(text: string): string {
		let result = text;
		// Longest first, so a form that contains another is replaced whole.
		for (const form of [...this.forms].sort((a, b) => b.length - a.length)) {
			if (result.includes(form)) result = result.split(form).join(REDACTED);
		}
		return result;
	}

	/** Text a server wrote: whole forms, then every window that is a piece of a secret. */
	scrubForeign(text: string): string {
		const whole = this.scrub(text);
		if (this.pieces.size === 0 || whole.length < PIECE_LENGTH) return whole;
		const covered = new Uint8Array(whole.length);
		let found = false;
		for (let start = 0; start + PIECE_LENGTH <= whole.length; start++) {
			if (this.pieces.has(whole.slice(start, start + PIECE_LENGTH))) {
				covered.fill(1, start, start + PIECE_LENGTH);
				found = true;
			}
		}
		if (!found) return whole;
		let result = '';
		let index = 0;
		while (index < whole.length) {
			if (covered[index]) {
				result += REDACTED;
				while (index < whole.length && covered[index]) index++;
			} else {
				result += whole[index++];
			}
		}
		return result;
	}
}
