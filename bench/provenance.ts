/**
 * What the results say about the code and machine they came from: the checkout, its commit and
 * built dist/, package versions, and the cost of the token cache's key derivation here.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, scryptSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { SCRYPT_PARAMETERS } from '../nodes/DurstAnalytics/tokenCache/crypto';

/** The checkout this benchmark belongs to, found from the compiled file's place (.run/tools/bench). */
export function findRepoRoot(): string {
	let dir = __dirname;
	for (;;) {
		const file = path.join(dir, 'package.json');
		if (fs.existsSync(file)) {
			const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: unknown };
			if (pkg.name === 'n8n-nodes-watcher-durst') return dir;
		}
		const parent = path.dirname(dir);
		if (parent === dir)
			throw new Error(`no package.json of n8n-nodes-watcher-durst above ${__dirname}`);
		dir = parent;
	}
}

/** The `version` of a package.json, or 'unknown'. */
export function readVersion(file: string): string {
	try {
		const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: unknown } | null;
		return typeof pkg?.version === 'string' ? pkg.version : 'unknown';
	} catch {
		return 'unknown';
	}
}

/** The short commit, flagged when nodes/ or credentials/ differ from it. */
export function gitCommit(root: string): string {
	try {
		const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
			cwd: root,
			encoding: 'utf8',
		}).trim();
		const dirty = execFileSync('git', ['status', '--porcelain', '--', 'nodes', 'credentials'], {
			cwd: root,
			encoding: 'utf8',
		}).trim();
		return dirty === '' ? commit : `${commit} (nodes/ or credentials/ modified)`;
	} catch {
		return 'unknown';
	}
}

/** A short hash of the built nodes and credentials, i.e. of the code n8n loads for our node types. */
export function distFingerprint(root: string): string {
	const hash = createHash('sha256');
	const walk = (dir: string): void => {
		let entries: fs.Dirent[];
		try {
			entries = fs.readdirSync(dir, { withFileTypes: true });
		} catch {
			return;
		}
		for (const entry of entries.sort((x, y) => x.name.localeCompare(y.name))) {
			const file = path.join(dir, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js'))
				hash.update(`${path.relative(root, file)}\0`).update(fs.readFileSync(file));
		}
	};
	walk(path.join(root, 'dist', 'nodes'));
	walk(path.join(root, 'dist', 'credentials'));
	return hash.digest('hex').slice(0, 12);
}

/**
 * One key derivation of the Durst token cache (scrypt with SCRYPT_PARAMETERS of
 * nodes/DurstAnalytics/tokenCache/crypto.ts: N=2^17, r=8, p=1), the median of three runs in ms:
 * what every new n8n process pays once per credential to seal or open a cached token. The Watcher
 * node's private-link ticket key (nodes/FlussonicWatcher/privateLinks/tickets.ts) is derived with
 * the same parameters, once per process and API key.
 */
export function scryptMs(): number {
	const runs: number[] = [];
	for (let i = 0; i < 3; i++) {
		const started = process.hrtime.bigint();
		scryptSync('benchmark', randomBytes(16), 32, SCRYPT_PARAMETERS);
		runs.push(Number(process.hrtime.bigint() - started) / 1e6);
	}
	return Math.round(runs.sort((x, y) => x - y)[1]);
}
