/**
 * What `npm publish` would upload, from `npm pack --dry-run --json` on the built package (npm test
 * builds first): the compiled nodes and credentials with their icons and codex files, package.json,
 * README.md and LICENSE.md, and nothing else. The expected dist/ files are derived from nodes/ and
 * credentials/, so a new source file needs no change here, while a test, a TypeScript source, a
 * host install or a stale build output in the tarball fails by name.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface PackedFile {
	path: string;
	size: number;
}

interface PackResult {
	filename: string;
	size: number;
	unpackedSize: number;
	entryCount: number;
	files: PackedFile[];
}

interface PackageJson {
	files: string[];
	n8n: { nodes: string[]; credentials: string[] };
}

const packageJson = JSON.parse(
	readFileSync(path.join(ROOT, 'package.json'), 'utf8'),
) as PackageJson;

function pack(): PackResult {
	if (!existsSync(path.join(ROOT, 'dist')))
		throw new Error('no dist/: run `npm run build` first (`npm test` does)');
	const stdout = execFileSync('npm', ['pack', '--dry-run', '--json'], {
		cwd: ROOT,
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'pipe'], // npm's notices go to stderr
	});
	return (JSON.parse(stdout) as PackResult[])[0];
}

/** Files under nodes/ and credentials/, relative to the repository, with / separators. */
function sourceFiles(): string[] {
	return ['nodes', 'credentials'].flatMap((dir) =>
		readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
			.filter((entry) => entry.isFile())
			.map((entry) =>
				path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
			),
	);
}

/** What the build makes of the sources: a .js per .ts module; icons and codex files copied. */
function expectedDist(): string[] {
	return sourceFiles()
		.flatMap((file) => {
			if (/\.test\.ts$|\.d\.ts$/.test(file)) return [];
			if (file.endsWith('.ts')) return [`dist/${file.slice(0, -'.ts'.length)}.js`];
			if (/\.(svg|png)$|\.node\.json$/.test(file)) return [`dist/${file}`];
			return [];
		})
		.sort();
}

describe('the packed package (npm pack)', () => {
	let result: PackResult;
	let paths: string[];

	beforeAll(() => {
		result = pack();
		paths = result.files.map((file) => file.path).sort();
		const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
		console.log(
			`${result.filename}: ${kB(result.size)} packed, ${kB(result.unpackedSize)} unpacked, ${result.entryCount} files`,
		);
	});

	test('holds package.json, README.md, LICENSE.md and dist/ only', () => {
		const outside = paths.filter((p) => !p.startsWith('dist/'));
		expect(outside).toEqual(['LICENSE.md', 'README.md', 'package.json']);
		expect(packageJson.files).toEqual(['dist']);
	});

	test('holds no sources, tests, declarations, hosts or bench results', () => {
		const forbidden = /\.ts$|(^|\/)(test|\.hosts|\.run|bench|node_modules|examples|docs)\//;
		expect(paths.filter((p) => forbidden.test(p))).toEqual([]);
	});

	test("holds every file of package.json's n8n section", () => {
		const listed = [...packageJson.n8n.nodes, ...packageJson.n8n.credentials];
		expect(listed.length).toBe(6);
		expect(listed.filter((file) => !paths.includes(file))).toEqual([]);
	});

	test('dist/ is exactly the compiled sources, icons and codex files (source maps beside them)', () => {
		const expected = expectedDist();
		const code = paths.filter((p) => p.startsWith('dist/') && !p.endsWith('.js.map'));
		// One comparison, so a failure names what is missing and what is extra at once.
		expect({
			missing: expected.filter((p) => !code.includes(p)),
			unexpected: code.filter((p) => !expected.includes(p)),
		}).toEqual({ missing: [], unexpected: [] });
		expect(expected.filter((p) => p.endsWith('.svg')).length).toBeGreaterThanOrEqual(4);
		expect(expected.filter((p) => p.endsWith('.node.json'))).toHaveLength(4);
	});

	test('source maps belong to a shipped .js file and do not embed the TypeScript sources', () => {
		const maps = paths.filter((p) => p.endsWith('.js.map'));
		expect(maps.filter((map) => !paths.includes(map.slice(0, -'.map'.length)))).toEqual([]);
		const embedding = maps.filter((map) => {
			const parsed = JSON.parse(readFileSync(path.join(ROOT, map), 'utf8')) as {
				sourcesContent?: unknown;
			};
			return parsed.sourcesContent !== undefined;
		});
		expect(embedding).toEqual([]);
	});
});
