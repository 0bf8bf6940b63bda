/**
 * Every text the editor shows for this package's nodes and credentials, as one sorted list in a
 * snapshot: a change of wording is a visible diff in review. The list is keyed by what workflows
 * save (node type, parameter names, option values), so a key that changes is a contract change,
 * while a changed text after the key is only wording. The checks below hold the texts to n8n's
 * style: one spelling of Auto-Login, US English, Title Case names, sentence-case descriptions, and
 * legacy choices marked "(Legacy)" and placed last.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

import type {
	ICredentialType,
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

import { DurstAnalyticsApi } from '../../credentials/DurstAnalyticsApi.credentials';
import { FlussonicWatcherApi } from '../../credentials/FlussonicWatcherApi.credentials';
import { DurstAnalytics } from '../../nodes/DurstAnalytics/DurstAnalytics.node';
import { DurstAnalyticsTrigger } from '../../nodes/DurstAnalytics/DurstAnalyticsTrigger.node';
import { FlussonicWatcher } from '../../nodes/FlussonicWatcher/FlussonicWatcher.node';
import { FlussonicWatcherLoginPage } from '../../nodes/FlussonicWatcher/FlussonicWatcherLoginPage.node';

const ROOT = path.resolve(__dirname, '..', '..');

const NODES: INodeTypeDescription[] = [
	new FlussonicWatcher().description,
	new FlussonicWatcherLoginPage().description,
	new DurstAnalytics().description,
	new DurstAnalyticsTrigger().description,
];
const CREDENTIALS: ICredentialType[] = [new FlussonicWatcherApi(), new DurstAnalyticsApi()];

/** Option values that only old workflows use: shown, but marked and listed last. */
const LEGACY_VALUES = new Set(['renderLoginPage', 'tokenInQuery']);

/** One text the editor shows: where it is (saved names only) and what kind of text it is. */
interface Text {
	key: string;
	kind: 'name' | 'description' | 'action' | 'hint' | 'placeholder' | 'notice' | 'other';
	text: string;
}

type VersionCondition = number | { _cnd: Record<string, number> };

/** Whether a node version passes a property's `@version` condition (the forms n8n's lint allows). */
function versionMatches(conditions: VersionCondition[], version: number): boolean {
	return conditions.some((condition) => {
		if (typeof condition === 'number') return condition === version;
		const [operator, value] = Object.entries(condition._cnd)[0];
		if (operator === 'gte') return version >= value;
		if (operator === 'lte') return version <= value;
		if (operator === 'gt') return version > value;
		if (operator === 'lt') return version < value;
		if (operator === 'eq') return version === value;
		throw new Error(`@version condition ${operator} is not handled here`);
	});
}

function shownIn(property: INodeProperties, version: number): boolean {
	const show = property.displayOptions?.show?.['@version'] as VersionCondition[] | undefined;
	const hide = property.displayOptions?.hide?.['@version'] as VersionCondition[] | undefined;
	if (show && !versionMatches(show, version)) return false;
	if (hide && versionMatches(hide, version)) return false;
	return true;
}

/** A property's key: its name, and the resource and operation it shows with, if any. */
function propertyKey(property: INodeProperties): string {
	const show = property.displayOptions?.show ?? {};
	const where = ['resource', 'operation', 'event']
		.filter((field) => Array.isArray(show[field]))
		.map((field) => `${field}=${(show[field] as unknown[]).map(String).join(',')}`);
	return where.length ? `${property.name}[${where.join(' ')}]` : property.name;
}

function isCollection(option: unknown): option is INodePropertyCollection {
	return typeof option === 'object' && option !== null && 'values' in option;
}

function isProperty(option: unknown): option is INodeProperties {
	return (
		typeof option === 'object' && option !== null && 'type' in option && 'displayName' in option
	);
}

function isOption(option: unknown): option is INodePropertyOptions {
	return typeof option === 'object' && option !== null && 'value' in option && 'name' in option;
}

function add(texts: Text[], key: string, kind: Text['kind'], text: unknown): void {
	if (typeof text === 'string' && text !== '') texts.push({ key, kind, text });
}

function propertyTexts(property: INodeProperties, parent: string, texts: Text[]): void {
	const key = `${parent} › ${propertyKey(property)}`;
	add(texts, key, property.type === 'notice' ? 'notice' : 'name', property.displayName);
	add(texts, key, 'description', property.description);
	add(texts, key, 'hint', property.hint);
	add(texts, key, 'placeholder', property.placeholder);
	for (const mode of property.modes ?? []) {
		const modeKey = `${key} › mode ${mode.name}`;
		add(texts, modeKey, 'name', mode.displayName);
		add(texts, modeKey, 'placeholder', mode.placeholder);
		for (const validation of mode.validation ?? []) {
			const message = (validation as { properties?: { errorMessage?: string } }).properties
				?.errorMessage;
			add(texts, `${modeKey} › validation`, 'other', message);
		}
	}
	for (const option of property.options ?? []) {
		if (isCollection(option)) {
			const childKey = `${key} › ${option.name}`;
			add(texts, childKey, 'name', option.displayName);
			for (const value of option.values) propertyTexts(value, childKey, texts);
		} else if (isProperty(option)) {
			propertyTexts(option, key, texts);
		} else if (isOption(option)) {
			const optionKey = `${key} › option ${String(option.value)}`;
			add(texts, optionKey, 'name', option.name);
			add(texts, optionKey, 'description', option.description);
			add(texts, optionKey, 'action', option.action);
		}
	}
}

function nodeTexts(node: INodeTypeDescription): Text[] {
	const versions = Array.isArray(node.version) ? node.version : [node.version];
	return versions.flatMap((version) => {
		const texts: Text[] = [];
		const key = `node ${node.name} v${version}`;
		add(texts, key, 'name', node.displayName);
		add(texts, `${key} › subtitle`, 'other', node.subtitle);
		add(texts, key, 'description', node.description);
		add(texts, `${key} › defaults.name`, 'name', node.defaults.name);
		for (const property of node.properties) {
			if (shownIn(property, version)) propertyTexts(property, key, texts);
		}
		return texts;
	});
}

function credentialTexts(credential: ICredentialType): Text[] {
	const key = `credential ${credential.name}`;
	const texts: Text[] = [];
	add(texts, key, 'name', credential.displayName);
	add(texts, `${key} › documentationUrl`, 'other', credential.documentationUrl);
	for (const property of credential.properties) propertyTexts(property, key, texts);
	return texts;
}

const TEXTS = [...NODES.flatMap(nodeTexts), ...CREDENTIALS.flatMap(credentialTexts)];

const line = (text: Text) => `${text.key} › ${text.kind}: ${text.text}`;

/**
 * The snapshot's lines: a text every version of a node shows is listed once, with the versions
 * that show it ("v1+v2"), so a text that differs between versions stands out.
 */
function snapshotLines(): string[] {
	const versionsOf = new Map<string, string[]>();
	for (const text of TEXTS) {
		const match = /^(node \S+) v(\d+)/.exec(text.key);
		const key = match ? `${match[1]} VERSIONS${text.key.slice(match[0].length)}` : text.key;
		const unversioned = line({ ...text, key });
		versionsOf.set(unversioned, [...(versionsOf.get(unversioned) ?? []), match?.[2] ?? '']);
	}
	return [...versionsOf].map(([unversioned, versions]) =>
		unversioned.replace(' VERSIONS', ` ${versions.map((version) => `v${version}`).join('+')}`),
	);
}

/** Words that stay lower case inside an n8n Title Case name. */
const MINOR_WORDS = new Set(
	'a an and as at but by for from in into of on or per the to via with'.split(' '),
);

/** Title Case as n8n's lint wants it: every word capitalized but minor ones inside the name. */
function titleCaseProblem(name: string): string | undefined {
	const words = name.split(/\s+/);
	for (const [index, word] of words.entries()) {
		const bare = word.replace(/^[("']+|[)"'.,:]+$/g, '');
		if (bare === '' || /^[^A-Za-z]/.test(bare)) continue;
		if (index > 0 && MINOR_WORDS.has(bare)) continue;
		for (const part of bare.split('-')) {
			if (/^[a-z]/.test(part)) return `"${word}" is not capitalized`;
		}
	}
	return undefined;
}

/** Sentence case: a capital first letter, and not a Title Case phrase of four or more words. */
function sentenceCaseProblem(text: string): string | undefined {
	const plain = text.replace(/<[^>]+>/g, '').replace(/^["'(]+/, '');
	if (!/^[A-Z0-9]/.test(plain)) return 'does not start with a capital letter';
	const words = plain.split(/\s+/).filter((word) => /^[A-Za-z]/.test(word));
	if (words.length >= 4 && words.every((word) => /^[A-Z]/.test(word))) return 'is in Title Case';
	return undefined;
}

/** Names that stay capitalized inside an action, which is otherwise in sentence case. */
const PROPER_NOUNS = new Set(['API', 'Analytics', 'Auto-Login', 'Durst', 'Flussonic', 'Watcher']);

/** British spellings n8n does not use; US English is "liter", "color", "email", "-ize". */
const BRITISH = [
	/litre/i,
	/colour/i,
	/e-mail/i,
	/behaviour/i,
	/organis/i,
	/\b\w+is(e|ed|es|ing)\b/i,
	/\b\w+isation/i,
	/licence/i,
	/cancell/i,
	/favour/i,
	/centre/i,
];
/** Words that end in -ise in US English too. */
const ISE_WORDS = new Set([
	'otherwise',
	'precise',
	'precisely',
	'exercise',
	'advise',
	'advertise',
	'compromise',
	'concise',
	'enterprise',
	'expertise',
	'promise',
	'raise',
	'raised',
	'raises',
	'rise',
	'wise',
	'noise',
	'premise',
	'premises',
	'revise',
	'surprise',
	'likewise',
	'devise',
	'supervise',
	'televise',
	'improvise',
	'disguise',
	'praise',
	'cruise',
	'franchise',
	'merchandise',
	'paradise',
	'poise',
	'treatise',
	'apprise',
	'comprise',
	'comprises',
	'despise',
	'excise',
	'incise',
	'chastise',
]);

function britishSpellings(text: string): string[] {
	const found: string[] = [];
	for (const pattern of BRITISH) {
		const global = new RegExp(pattern.source, 'gi');
		for (const match of text.matchAll(global)) {
			const word = match[0].toLowerCase();
			if (pattern.source.includes('is(e|ed') && ISE_WORDS.has(word)) continue;
			found.push(match[0]);
		}
	}
	return found;
}

describe('editor texts', () => {
	it('match the snapshot (a changed text is a visible diff)', () => {
		const lines = snapshotLines().sort();
		expect(`\n${lines.join('\n')}\n`).toMatchSnapshot();
	});

	it('spell Auto-Login one way', () => {
		const wrong = TEXTS.filter((text) =>
			[...text.text.matchAll(/auto[\s_-]?log[\s_-]?in/gi)].some(
				(match) => match[0] !== 'Auto-Login',
			),
		).map(line);
		expect(wrong).toEqual([]);
	});

	it('use US English', () => {
		const wrong = TEXTS.flatMap((text) =>
			britishSpellings(text.text).map((word) => `${word} in ${line(text)}`),
		);
		expect(wrong).toEqual([]);
	});

	it('name each product one way in the nodes and credentials', () => {
		// "Watcher" and "Analytics" alone are fine inside a sentence; a node or credential name is
		// the full product name.
		const names = [
			...NODES.flatMap((node) => [node.displayName, node.defaults.name ?? '']),
			...CREDENTIALS.map((credential) => credential.displayName),
		];
		const wrong = names.filter((name) => !/^(Flussonic Watcher|Durst Analytics)\b/.test(name));
		expect(wrong).toEqual([]);
	});

	it('write names of parameters and options in Title Case', () => {
		const wrong = TEXTS.filter((text) => text.kind === 'name')
			.map((text) => ({ text, problem: titleCaseProblem(text.text) }))
			.filter(({ problem }) => problem !== undefined)
			.map(({ text, problem }) => `${line(text)}: ${problem}`);
		expect(wrong).toEqual([]);
	});

	it('write descriptions, hints and notices in sentence case', () => {
		const wrong = TEXTS.filter((text) => ['description', 'hint', 'notice'].includes(text.kind))
			.map((text) => ({ text, problem: sentenceCaseProblem(text.text) }))
			.filter(({ problem }) => problem !== undefined)
			.map(({ text, problem }) => `${line(text)}: ${problem}`);
		expect(wrong).toEqual([]);
	});

	it('write actions in sentence case', () => {
		const wrong = TEXTS.filter((text) => text.kind === 'action').filter((text) =>
			text.text
				.split(/\s+/)
				.slice(1)
				.some((word) => /^[A-Z]/.test(word) && !PROPER_NOUNS.has(word)),
		);
		expect(wrong.map(line)).toEqual([]);
	});

	it('mark legacy options "(Legacy)" and list them last', () => {
		const problems: string[] = [];
		const visit = (properties: INodeProperties[], where: string) => {
			for (const property of properties) {
				const options = (property.options ?? []).filter(isOption);
				let legacySeen = false;
				for (const option of options) {
					const legacy = LEGACY_VALUES.has(String(option.value));
					const marked = option.name.endsWith(' (Legacy)');
					const at = `${where} › ${propertyKey(property)} › ${String(option.value)}`;
					if (legacy !== marked)
						problems.push(`${at}: "${option.name}" is ${legacy ? 'legacy' : 'not legacy'}`);
					if (legacy) legacySeen = true;
					else if (legacySeen) problems.push(`${at}: listed after a legacy option`);
				}
				visit((property.options ?? []).filter(isProperty), where);
			}
		};
		for (const node of NODES) visit(node.properties, node.name);
		expect(problems).toEqual([]);
		// Each legacy value is still offered: old workflows keep working.
		const offered = NODES.flatMap((node) => node.properties)
			.flatMap((property) => (property.options ?? []).filter(isOption))
			.map((option) => String(option.value));
		for (const value of LEGACY_VALUES) expect(offered).toContain(value);
	});

	it('use one subtitle style: operation and resource, or the event', () => {
		const subtitles = NODES.map((node) => `${node.name}: ${node.subtitle ?? ''}`);
		expect(subtitles).toEqual([
			'flussonicWatcher: ={{$parameter["operation"] + ": " + $parameter["resource"]}}',
			'flussonicWatcherLoginPage: ={{"/webhook/" + $parameter["path"]}}',
			'durstAnalytics: ={{$parameter["operation"] + ": " + $parameter["resource"]}}',
			'durstAnalyticsTrigger: ={{$parameter["event"]}}',
		]);
	});

	it("link each credential to a section of this package's README", () => {
		const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
			homepage: string;
		};
		const home = pkg.homepage.replace(/#.*$/, '');
		const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		// GitHub's anchors: heading text, lower case, punctuation dropped, spaces as "-".
		const anchors = new Set(
			[...readme.matchAll(/^#{1,6}\s+(.+)$/gm)].map((match) =>
				match[1]
					.trim()
					.toLowerCase()
					.replace(/[^\p{L}\p{N}\s-]/gu, '')
					.replace(/\s/g, '-'),
			),
		);
		for (const credential of CREDENTIALS) {
			const url = String(credential.documentationUrl);
			expect(url.startsWith(`${home}#`)).toBe(true);
			expect(anchors).toContain(url.slice(home.length + 1));
		}
	});
});
