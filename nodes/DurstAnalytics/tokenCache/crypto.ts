/**
 * Encryption of cached tokens: a key derived from the credential's password with scrypt, and
 * AES-256-GCM with the entry's identity and dates bound as associated data. Nothing here knows
 * about n8n or the cache's policy.
 *
 * Anyone holding an exported workflow holds the sealed entry, so the derivation is what a password
 * guess costs: OWASP's scrypt recommendation (N=2^17, r=8, p=1), about 128 MiB and a few hundred
 * milliseconds per guess. It runs off the event loop, once per credential and process.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes, scrypt } from 'crypto';

import { LruMap } from '../../shared/lru';

export const SCRYPT_PARAMETERS = { N: 1 << 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const DERIVATION_LABEL = 'n8n-nodes-watcher-durst/durst-token/v2';
const KEY_BYTES = 32;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Sealed {
	salt: string;
	iv: string;
	tag: string;
	data: string;
}

export function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/** Identifies a password in process memory without keeping it; never written anywhere. */
export function passwordDigest(password: string): string {
	return sha256(`${DERIVATION_LABEL}\n${password}`);
}

/** Keys by `${scope}:${passwordDigest}:${salt}`; a promise, so concurrent callers share one scrypt run. */
const keys = new LruMap<string, Promise<Buffer>>(64);
/** One salt per credential and process: entries written by this process share one derivation. */
const salts = new LruMap<string, Buffer>(64);

async function deriveKey(scope: string, password: string, salt: Buffer): Promise<Buffer> {
	const memo = `${scope}:${passwordDigest(password)}:${salt.toString('base64')}`;
	let key = keys.get(memo);
	if (!key) {
		key = new Promise<Buffer>((resolve, reject) => {
			scrypt(
				`${DERIVATION_LABEL}\n${password}`,
				salt,
				KEY_BYTES,
				SCRYPT_PARAMETERS,
				(error, derived) => (error ? reject(error) : resolve(derived)),
			);
		});
		keys.set(memo, key);
		key.catch(() => keys.delete(memo));
	}
	return await key;
}

/** Forgets keys and salts of a credential (`scope`) made with any password but the current one. */
export function forgetOtherPasswords(scope: string, password: string): void {
	const current = `${scope}:${passwordDigest(password)}`;
	const superseded = (memo: string) =>
		memo.startsWith(`${scope}:`) && !memo.startsWith(`${current}:`) && memo !== current;
	keys.deleteWhere(superseded);
	salts.deleteWhere(superseded);
}

export async function seal(
	scope: string,
	password: string,
	associated: string,
	plain: string,
): Promise<Sealed> {
	const saltKey = `${scope}:${passwordDigest(password)}`;
	let salt = salts.get(saltKey);
	if (!salt) {
		salt = randomBytes(SALT_BYTES);
		salts.set(saltKey, salt);
	}
	const key = await deriveKey(scope, password, salt);
	const iv = randomBytes(IV_BYTES);
	const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
	cipher.setAAD(Buffer.from(associated));
	const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
	return {
		salt: salt.toString('base64'),
		iv: iv.toString('base64'),
		tag: cipher.getAuthTag().toString('base64'),
		data: data.toString('base64'),
	};
}

/** The plain text, or undefined for anything that does not open: other password, tampered, truncated. */
export async function open(
	scope: string,
	password: string,
	associated: string,
	sealed: Sealed,
): Promise<string | undefined> {
	const salt = Buffer.from(sealed.salt, 'base64');
	const iv = Buffer.from(sealed.iv, 'base64');
	const tag = Buffer.from(sealed.tag, 'base64');
	// A shortened tag would make forgery cheap: only full-length tags are accepted.
	if (salt.length !== SALT_BYTES || iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
		return undefined;
	try {
		const key = await deriveKey(scope, password, salt);
		const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
		decipher.setAAD(Buffer.from(associated));
		decipher.setAuthTag(tag);
		return Buffer.concat([
			decipher.update(Buffer.from(sealed.data, 'base64')),
			decipher.final(),
		]).toString('utf8');
	} catch {
		return undefined;
	}
}
