/**
 * The last step of `npm run lint`: n8n's own community-package scanner (`@n8n/scan-community-package`,
 * the code behind `npx @n8n/scan-community-package <name>`) on this checkout. Its `analyzePackage`
 * lints with n8n's community rule sets plus `no-console`, and runs here on both parts n8n lints:
 *
 *  - the source (package.json, nodes/, credentials/) with the scanner's SOURCE_FILE_PATTERNS;
 *  - the tarball `npm pack` makes, extracted, with analyzePackage's default patterns (every .js,
 *    .ts and .json). That is stricter than n8n's tarball leg (.js and package.json only), so
 *    whatever n8n's leg would report is reported here too.
 *
 * Why not the scanner's entry point (`analyzePackageByName`): it fetches the published tarball from
 * the registry and the source from GitHub by the package's provenance attestation; neither exists
 * before a publish. Its provenance check is the publish workflow's job (.github/workflows/publish.yml).
 *
 * Any error the scanner reports fails the script (exit 1). Plain .mjs: the scanner is an ES module
 * without types, and lint must run before any build of ours.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs a command in ROOT; throws with its output when it fails. */
function run(command, args, { capture = false } = {}) {
	const result = spawnSync(command, args, {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
	});
	if (result.status !== 0) {
		const output = capture ? `\n${result.stdout}${result.stderr}` : '';
		throw new Error(`\`${command} ${args.join(' ')}\` failed (exit ${result.status})${output}`);
	}
	return result.stdout ?? '';
}

/** Packs the package as npm publish would and extracts it; returns the extracted folder. */
function packAndExtract(workDir) {
	// The tarball holds dist/, which lint must not assume exists (.ci/run lints before it builds).
	run('npm', ['run', 'build', '--silent']);
	const packed = JSON.parse(
		run('npm', ['pack', '--json', '--pack-destination', workDir], { capture: true }),
	);
	const tarball = path.join(workDir, packed[0].filename);
	const packageDir = path.join(workDir, 'package');
	mkdirSync(packageDir);
	// Extracted as the scanner extracts a downloaded tarball.
	run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1']);
	console.log(
		`packed ${packed[0].filename}: ${packed[0].entryCount} files, ${packed[0].size} bytes`,
	);
	return packageDir;
}

/** One leg's verdict as the scanner's CLI words it; true when it passed. */
function report(label, result) {
	// analyzePackage passes a folder without files to lint; for us that means a broken pack.
	if (result.passed && result.message === 'No files found to analyze') {
		console.log(`❌ ${label}: the scanner found no files to analyze`);
		return false;
	}
	if (result.passed) {
		console.log(`✅ ${label}: the scanner reports no errors`);
		return true;
	}
	console.log(`❌ ${label}: ${result.message}`);
	if (result.details) console.log(result.details);
	return false;
}

async function main() {
	const workDir = mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	// The scanner makes a temp folder of its own when it is imported; this puts it inside ours.
	process.env.TMPDIR = workDir;
	try {
		const packageDir = packAndExtract(workDir);
		const { analyzePackage, SOURCE_FILE_PATTERNS } =
			await import('@n8n/scan-community-package/scanner/scanner.mjs');
		const source = await analyzePackage(ROOT, SOURCE_FILE_PATTERNS);
		const tarball = await analyzePackage(packageDir);
		const files = readdirSync(packageDir).join(', ');
		const passed = [
			report(`source (${SOURCE_FILE_PATTERNS.join(', ')})`, source),
			report(`packed tarball (${files})`, tarball),
		].every(Boolean);
		if (!passed) process.exitCode = 1;
	} finally {
		rmSync(workDir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
