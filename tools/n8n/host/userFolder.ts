/** The files a host keeps in its user folder (N8N_USER_FOLDER) besides n8n's own. */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { isRecord } from '../json';

/** Where n8n looks for installed community packages, and our package linked there. */
export function installPackage(userFolder: string, packageDir: string): void {
	const name = (
		JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as {
			name: string;
		}
	).name;
	const modules = path.join(userFolder, '.n8n', 'nodes', 'node_modules');
	fs.mkdirSync(modules, { recursive: true });
	const link = path.join(modules, name);
	fs.rmSync(link, { recursive: true, force: true });
	fs.symlinkSync(packageDir, link, 'dir');
}

export function readEncryptionKey(userFolder: string): string | undefined {
	try {
		const config: unknown = JSON.parse(
			fs.readFileSync(path.join(userFolder, '.n8n', 'config'), 'utf8'),
		);
		return isRecord(config) && typeof config.encryptionKey === 'string'
			? config.encryptionKey
			: undefined;
	} catch {
		return undefined;
	}
}

/**
 * A preload (NODE_OPTIONS=--require) that makes `n8n execute`'s stdout blocking. n8n prints the
 * run (about 2 MB for 1,000 items) and then calls process.exit(); a spawned child's stdout is a
 * pipe that Node writes asynchronously, and process.exit() drops what is still queued (seen as
 * "printed no run" in about half of such runs). Written as a file beside the user folder so it
 * works the same from ts-jest and from the compiled tools.
 */
export function stdoutBlockingPreload(userFolder: string): string {
	const file = path.join(userFolder, '.stdout-blocking.cjs');
	if (!fs.existsSync(file)) {
		fs.writeFileSync(
			file,
			'for (const s of [process.stdout, process.stderr]) { const h = s._handle; if (h && typeof h.setBlocking === "function") h.setBlocking(true); }\n',
		);
	}
	return file;
}

function scratchFile(userFolder: string, kind: 'import' | 'export'): string {
	return path.join(userFolder, `.${kind}-${process.pid}-${randomBytes(6).toString('hex')}.json`);
}

/** Writes `data` to a private temp file in the user folder for the duration of `fn`. */
export async function withImportFile<T>(
	userFolder: string,
	data: unknown,
	fn: (file: string) => Promise<T>,
): Promise<T> {
	const file = scratchFile(userFolder, 'import');
	fs.writeFileSync(file, JSON.stringify(data, null, 2), { mode: 0o600 });
	try {
		return await fn(file);
	} finally {
		fs.rmSync(file, { force: true });
	}
}

/** The text `exportTo` wrote to a temp file in the user folder (removed again). */
export async function readExport(
	userFolder: string,
	exportTo: (file: string) => Promise<unknown>,
): Promise<string> {
	const file = scratchFile(userFolder, 'export');
	try {
		await exportTo(file);
		return fs.readFileSync(file, 'utf8');
	} finally {
		fs.rmSync(file, { force: true });
	}
}
