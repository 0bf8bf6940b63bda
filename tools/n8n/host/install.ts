/**
 * Where `scripts/install-hosts.sh` put the n8n versions we run (`<repo>/.hosts/` or $N8N_HOSTS_DIR),
 * and the Node that runs each:
 *  - 1.123.81 runs on the Node that runs this code (the machine's Node 20) with
 *    N8N_EXPRESSION_ENGINE=legacy (isolated-vm has no prebuilt binary for Node 20).
 *  - 2.x (2.41.3, 2.40.7) runs on `.hosts/node24/node_modules/node/bin/node`, which is also put
 *    first on PATH (n8n 2.x spawns its JS task runner as plain `node`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export type HostVersion = '1.123.81' | '2.40.7' | '2.41.3';

/** Every version install-hosts.sh can install and the host driver can run. */
export const KNOWN_HOST_VERSIONS: readonly HostVersion[] = ['1.123.81', '2.40.7', '2.41.3'];

/**
 * The e2e suite runs on the 1.x LTS line and the newest 2.x only: each version adds about 17
 * minutes, and CI's cold run must stay under 60.
 */
export const DEFAULT_E2E_VERSIONS: readonly HostVersion[] = ['1.123.81', '2.41.3'];

function isHostVersion(value: string): value is HostVersion {
	return (KNOWN_HOST_VERSIONS as readonly string[]).includes(value);
}

/**
 * The versions named by N8N_E2E_VERSIONS (comma-separated, e.g. `1.123.81,2.40.7` to run the suite
 * on 2.40.7 again, or `2.41.3` for one host only), else DEFAULT_E2E_VERSIONS. An unknown name
 * throws: a typo must not quietly run the suite on fewer hosts. install-hosts.sh reads the same
 * variable, so `npm test` installs what it will run.
 */
export function e2eVersions(fromEnv: string | undefined): HostVersion[] {
	const names = (fromEnv ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	if (names.length === 0) return [...DEFAULT_E2E_VERSIONS];
	const versions: HostVersion[] = [];
	for (const name of names) {
		if (!isHostVersion(name))
			throw new Error(
				`N8N_E2E_VERSIONS names ${name}; known versions: ${KNOWN_HOST_VERSIONS.join(', ')}`,
			);
		if (!versions.includes(name)) versions.push(name);
	}
	return versions;
}

/** The versions the e2e suite runs on (each e2e file is a `describe.each` over them). */
export const HOST_VERSIONS: HostVersion[] = e2eVersions(process.env.N8N_E2E_VERSIONS);

function findRepoRoot(): string {
	const starts: string[] = [];
	if (typeof __dirname === 'string') starts.push(__dirname);
	starts.push(process.cwd());
	for (const start of starts) {
		let dir = path.resolve(start);
		for (;;) {
			if (fs.existsSync(path.join(dir, 'scripts', 'install-hosts.sh'))) return dir;
			const parent = path.dirname(dir);
			if (parent === dir) break;
			dir = parent;
		}
	}
	throw new Error(
		'n8nHost: cannot find the repository root (a folder with scripts/install-hosts.sh) above ' +
			starts.join(' or ') +
			'; set N8N_HOSTS_DIR to the .hosts folder',
	);
}

/** The folder with the installed hosts: $N8N_HOSTS_DIR or <repo>/.hosts. */
export function hostsDir(): string {
	const fromEnv = process.env.N8N_HOSTS_DIR;
	if (fromEnv !== undefined && fromEnv !== '') return path.resolve(fromEnv);
	return path.join(findRepoRoot(), '.hosts');
}

export interface HostPaths {
	/** .hosts/n8n-<version> */
	dir: string;
	/** .hosts/n8n-<version>/node_modules/n8n/bin/n8n */
	n8nBin: string;
	/** The node binary that runs this version. */
	nodeBin: string;
	/** The marker file written by install-hosts.sh after a complete install. */
	marker: string;
}

export function hostPaths(version: HostVersion): HostPaths {
	const root = hostsDir();
	const dir = path.join(root, `n8n-${version}`);
	const nodeBin = version.startsWith('1.')
		? (process.env.N8N_HOST_NODE_1 ?? defaultNode20())
		: (process.env.N8N_HOST_NODE_2 ??
			path.join(root, 'node24', 'node_modules', 'node', 'bin', 'node'));
	return {
		dir,
		n8nBin: path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		nodeBin,
		marker: path.join(dir, '.installed'),
	};
}

function defaultNode20(): string {
	// n8n 1.123 supports Node 20 to 24; the host was built and verified with the machine's Node 20.
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 20 && major <= 24) return process.execPath;
	return '/usr/bin/node';
}

/** True when install-hosts.sh completed for this version (and, for 2.x, for Node 24). */
export function hostInstalled(version: HostVersion): boolean {
	try {
		const p = hostPaths(version);
		const nodeOk = version.startsWith('1.')
			? fs.existsSync(p.nodeBin)
			: fs.existsSync(path.join(hostsDir(), 'node24', '.installed')) && fs.existsSync(p.nodeBin);
		return nodeOk && fs.existsSync(p.marker) && fs.existsSync(p.n8nBin);
	} catch {
		return false;
	}
}
