/**
 * Parses a server URL typed into a credential. Users paste URLs with trailing slashes and, for
 * Watcher, with the `/vsaas` UI path; both are tolerated so the API paths can be appended verbatim.
 */
export function normalizeServerUrl(
	raw: unknown,
	stripSuffixes: readonly string[] = [],
): string | undefined {
	if (typeof raw !== 'string') return undefined;
	let value = raw.trim();
	if (!/^https?:\/\//i.test(value)) return undefined;
	let changed = true;
	while (changed) {
		changed = false;
		const withoutSlash = value.replace(/\/+$/, '');
		if (withoutSlash !== value) {
			value = withoutSlash;
			changed = true;
		}
		for (const suffix of stripSuffixes) {
			if (value.toLowerCase().endsWith(suffix)) {
				value = value.slice(0, -suffix.length);
				changed = true;
			}
		}
	}
	try {
		const parsed = new URL(value);
		if (parsed.search || parsed.hash || parsed.username || parsed.password) return undefined;
	} catch {
		return undefined;
	}
	return value;
}

export function hostOf(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return url;
	}
}
