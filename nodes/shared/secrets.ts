/**
 * Removes secrets from text that may reach a user, a log or an execution record.
 *
 * Secrets are matched verbatim and in the encodings they take on the wire (URL query strings,
 * form bodies, JSON), because n8n's request errors echo the request's URL and options.
 */
export const REDACTED = '[redacted]';

function encodings(secret: string): string[] {
	const variants = new Set<string>([secret]);
	variants.add(encodeURIComponent(secret));
	variants.add(encodeURIComponent(secret).replace(/%20/g, '+'));
	variants.add(JSON.stringify(secret).slice(1, -1));
	return [...variants].filter((v) => v.length > 0);
}

export function scrubSecrets(text: string, secrets: ReadonlyArray<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		// Very short values (e.g. "a") would shred ordinary words and protect nothing.
		if (!secret || secret.length < 3) continue;
		for (const variant of encodings(secret)) {
			result = result.split(variant).join(REDACTED);
		}
	}
	return result;
}
