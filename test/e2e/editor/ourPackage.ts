/**
 * What the editor tests know about our package: its nodes as the node panel should show them, the
 * page problems that are not ours, and the npm answers the editor asks for about an installed
 * community package.
 */
import type { APIResponse, BrowserContext, Page } from 'playwright-core';

import { DurstAnalytics } from '../../../nodes/DurstAnalytics/DurstAnalytics.node';
import { DurstAnalyticsTrigger } from '../../../nodes/DurstAnalytics/DurstAnalyticsTrigger.node';
import { FlussonicWatcher } from '../../../nodes/FlussonicWatcher/FlussonicWatcher.node';
import type { PageProblem } from './browser';

export const PACKAGE_NAME = 'n8n-nodes-watcher-durst';

export interface NodeUnderTest {
	key: 'watcher' | 'durst';
	search: string;
	displayName: string;
	description: string;
	iconFolder: string;
	iconFile: string;
	/**
	 * On an empty canvas the panel lists triggers: n8n 2.x shows an app whose package has a
	 * "<App> Trigger" as one entry with the trigger's description.
	 */
	panelDescription: string;
}

type Description = FlussonicWatcher['description'];

function nodeUnderTest(
	key: NodeUnderTest['key'],
	search: string,
	folder: string,
	description: Description,
	trigger?: Description,
): NodeUnderTest {
	const icon = description.icon;
	const light = typeof icon === 'string' ? icon : icon?.light;
	if (light === undefined || !light.startsWith('file:'))
		throw new Error(`${description.displayName}: no file icon`);
	return {
		key,
		search,
		displayName: description.displayName,
		description: description.description,
		iconFolder: folder,
		iconFile: light.slice('file:'.length),
		panelDescription: trigger?.description ?? description.description,
	};
}

// Names, descriptions and icons come from the nodes themselves, so the tests follow their changes.
export const NODES: NodeUnderTest[] = [
	nodeUnderTest('watcher', 'Watcher', 'FlussonicWatcher', new FlussonicWatcher().description),
	nodeUnderTest(
		'durst',
		'Durst',
		'DurstAnalytics',
		new DurstAnalytics().description,
		new DurstAnalyticsTrigger().description,
	),
];

/** The node panel's text of an operation's action ("Get many printers"), from the node itself. */
export function actionOf(description: Description, resource: string, operation: string): string {
	const property = description.properties.find(
		(candidate) =>
			candidate.name === 'operation' &&
			candidate.displayOptions?.show?.resource?.includes(resource) === true,
	);
	const option = property?.options?.find(
		(candidate) => 'value' in candidate && candidate.value === operation,
	);
	if (option === undefined || !('action' in option) || typeof option.action !== 'string')
		throw new Error(`${description.displayName}: no action for ${resource} > ${operation}`);
	return option.action;
}

/**
 * Known page problems that have nothing to do with our package: 1.123 asks for the external
 * secrets of an unlicensed instance (404), and the offline machine cannot reach n8n's own hosts.
 */
const HARMLESS: RegExp[] = [/\/rest\/external-secrets\/secrets/, /n8n\.(io|cloud)/];

export function unexpected(problems: PageProblem[]): PageProblem[] {
	return problems.filter((problem) => !HARMLESS.some((re) => re.test(problem.text)));
}

export function ours(problems: PageProblem[]): PageProblem[] {
	return problems.filter((problem) =>
		/CUSTOM|flussonic|watcher|durst|\/icons\//i.test(problem.text),
	);
}

/**
 * For an installed community package the editor asks npm for its latest version and its
 * downloads. This machine reaches no registry from a browser; the answers stand for a package
 * whose installed version is the latest and that nobody has downloaded yet.
 */
export async function answerNpmAsLatest(context: BrowserContext, version: string): Promise<void> {
	await context.route(/^https:\/\/(registry|api)\.npmjs\.org\//, (route) =>
		route.fulfill({
			status: 200,
			contentType: 'application/json',
			body: JSON.stringify(
				route.request().url().startsWith('https://api.')
					? { package: PACKAGE_NAME, downloads: [] }
					: {
							name: PACKAGE_NAME,
							'dist-tags': { latest: version },
							versions: { [version]: { name: PACKAGE_NAME, version } },
						},
			),
		}),
	);
}

/**
 * GET through the page's request context, again when the socket was reset: the context reuses a
 * kept-alive connection that n8n may close at that moment ("socket hang up", seen once in CI on
 * 1.123.81), which says nothing about what n8n serves.
 */
export async function getRetryingReset(page: Page, url: string): Promise<APIResponse> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await page.request.get(url);
		} catch (error) {
			if (attempt >= 3 || !/ECONNRESET|socket hang up/.test(String(error))) throw error;
		}
	}
}
