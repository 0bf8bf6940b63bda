/** The opaque tokens a Durst login hands out: random, kept only in memory, dead after their TTL. */
import { randomBytes } from 'node:crypto';

interface IssuedToken {
	username: string;
	issuedAt: number;
	expiresAt: number;
}

export class DurstTokens {
	private readonly tokens = new Map<string, IssuedToken>();

	constructor(private readonly now: () => number) {}

	issue(username: string, ttlMs: number): string {
		const token = randomBytes(32).toString('base64url');
		const issuedAt = this.now();
		this.tokens.set(token, { username, issuedAt, expiresAt: issuedAt + ttlMs });
		return token;
	}

	/** The token's user, or `undefined`; an expired token is forgotten on the way. */
	userOf(token: string): string | undefined {
		const issued = this.tokens.get(token);
		if (issued === undefined) return undefined;
		if (issued.expiresAt <= this.now()) {
			this.tokens.delete(token);
			return undefined;
		}
		return issued.username;
	}

	invalidate(token: string): boolean {
		return this.tokens.delete(token);
	}

	/** Tokens neither expired nor invalidated. */
	get active(): number {
		const now = this.now();
		let count = 0;
		for (const issued of this.tokens.values()) if (issued.expiresAt > now) count += 1;
		return count;
	}

	clear(): void {
		this.tokens.clear();
	}
}
