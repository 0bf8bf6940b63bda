/**
 * What this process remembers of tokens a server refused: keyed by the credential (with its
 * password's digest) and the token's hash, never the token itself.
 */
import { LruMap } from '../../shared/lru';
import { sha256 } from './crypto';

/**
 * Tokens a server refused. An execution that started before the refusal still holds the dead
 * token in its copy of static data (n8n loads static data when an execution starts); without this
 * list it would put the token back into memory over its replacement and cause a second login.
 */
const deadTokens = new LruMap<string, true>(200);
/**
 * Tokens refused by the very call a fresh login was made for, with the time until which no further
 * login is tried for them: a server that refuses every new token (several Analytics behind a
 * balancer that share no sessions) would otherwise cost a login per item.
 */
const refusedFresh = new LruMap<string, number>(200);
/** How long a token refused right after its login stops further logins. */
const REFUSED_FRESH_MS = 5 * 60 * 1000;

/** One credential's refused tokens; `memKey` names the credential and its password. */
export class RefusedTokens {
	/** The last token's key: every item asks about the same token, and a hash per item showed in profiles. */
	private last: { token: string; key: string } | undefined;

	constructor(
		private readonly memKey: string,
		private readonly now: () => number,
	) {}

	private key(token: string): string {
		if (this.last?.token !== token) this.last = { token, key: `${this.memKey}:${sha256(token)}` };
		return this.last.key;
	}

	/** The server refused `token`: it is never taken from static data again. */
	markDead(token: string): void {
		deadTokens.set(this.key(token), true);
	}

	isDead(token: string): boolean {
		return deadTokens.get(this.key(token)) !== undefined;
	}

	/** The server refused the token of a login made for this very call: log in again only later. */
	refusedAfterLogin(token: string): void {
		refusedFresh.set(this.key(token), this.now() + REFUSED_FRESH_MS);
	}

	/** Whether `token` was refused right after its login, recently: another login would not help. */
	wasRefusedAfterLogin(token: string): boolean {
		const until = refusedFresh.get(this.key(token));
		return until !== undefined && until > this.now();
	}
}
