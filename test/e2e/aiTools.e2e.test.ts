/**
 * Both nodes as AI-agent tools in real n8n: for a node with `usableAsTool`, n8n adds a tool variant
 * named `<node>Tool` ("Flussonic Watcher Tool") whose output connects to an AI Agent. The test
 * reads the node-type list the editor loads (`/types/nodes.json`, full descriptions: the editor
 * draws a node's parameters from it) and checks each tool's parameters there.
 *
 * The hosts load the package as an installed community package, so the types are
 * `n8n-nodes-watcher-durst.flussonicWatcherTool` and `n8n-nodes-watcher-durst.durstAnalyticsTool`.
 * Kept cheap: one n8n start per version, no simulators, no browser.
 */
import path from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { DurstAnalytics } from '../../nodes/DurstAnalytics/DurstAnalytics.node';
import { FlussonicWatcher } from '../../nodes/FlussonicWatcher/FlussonicWatcher.node';
import { EXAMPLES_DIR } from '../../tools/n8n/examples';
import type { HostVersion } from '../../tools/n8n/n8nHost';
import { HOST_VERSIONS, N8nHost } from '../../tools/n8n/n8nHost';

jest.setTimeout(300_000);

const ROOT = path.dirname(EXAMPLES_DIR);
// An installed package's node types are prefixed with the package's name.
const PACKAGE_PREFIX = 'n8n-nodes-watcher-durst';
const OWNER = {
	email: 'owner@example.com',
	password: 'Tools-Test-1',
	firstName: 'Tilda',
	lastName: 'Tools',
};

// n8n adds a "Custom API Call" operation to nodes whose credential has an `authenticate` block.
const CUSTOM_API_CALL = '__CUSTOM_API_CALL__';
// The parameters n8n's tool wrapper inserts: how the agent learns what the tool does.
const TOOL_WRAPPER_PARAMETERS = ['descriptionType', 'toolDescription'];

/** Every value of every `operation` parameter (one per resource): what an agent can ask for. */
function operationValues(properties: INodeProperties[]): string[] {
	return properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) => property.options ?? [])
		.flatMap((option) => ('value' in option ? [String(option.value)] : []))
		.filter((value) => value !== CUSTOM_API_CALL)
		.sort();
}

/** The node as n8n would turn it into a tool; names and parameters come from the node itself. */
function toolUnderTest(description: INodeTypeDescription) {
	return {
		node: `${PACKAGE_PREFIX}.${description.name}`,
		type: `${PACKAGE_PREFIX}.${description.name}Tool`,
		displayName: `${description.displayName} Tool`,
		credentials: (description.credentials ?? []).map((credential) => credential.name),
		operations: operationValues(description.properties),
		parameters: [...new Set(description.properties.map((property) => property.name))],
	};
}

const TOOLS = [
	toolUnderTest(new FlussonicWatcher().description),
	toolUnderTest(new DurstAnalytics().description),
];

function isDescription(value: unknown): value is INodeTypeDescription {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { name?: unknown }).name === 'string' &&
		Array.isArray((value as { properties?: unknown }).properties)
	);
}

describe.each(HOST_VERSIONS)('n8n %s: both nodes as AI-agent tools', (version: HostVersion) => {
	let host: N8nHost;
	let listed: INodeTypeDescription[];

	beforeAll(async () => {
		host = await N8nHost.create({ version, packageDir: ROOT });
		await host.start();
		const cookie = await host.setupOwner(
			OWNER.email,
			OWNER.password,
			OWNER.firstName,
			OWNER.lastName,
		);
		const types = await host.request('GET', '/types/nodes.json', {
			headers: { Cookie: cookie },
			timeoutMs: 60_000,
		});
		expect(types.status).toBe(200);
		const parsed: unknown = JSON.parse(types.body);
		if (!Array.isArray(parsed)) throw new Error(`/types/nodes.json is not a list (${version})`);
		listed = parsed.filter(isDescription);
	});

	afterAll(async () => {
		await host?.dispose();
	});

	test.each(TOOLS)('$type is in the node-type list, as a tool with our operations', (tool) => {
		const entries = listed.filter((description) => description.name === tool.type);
		expect(entries).toHaveLength(1);
		const [entry] = entries;
		expect(entry.displayName).toBe(tool.displayName);
		// An AI Agent takes it on its tool input; it has no main input of its own.
		expect(entry.outputs).toEqual(['ai_tool']);
		expect(entry.inputs).toEqual([]);
		expect((entry.credentials ?? []).map((credential) => credential.name)).toEqual(
			tool.credentials,
		);
		expect(tool.operations.length).toBeGreaterThanOrEqual(3);
		expect(operationValues(entry.properties)).toEqual(tool.operations);
		expect(entry.properties.map((property) => property.name)).toEqual(
			expect.arrayContaining([...TOOL_WRAPPER_PARAMETERS, 'resource', 'operation']),
		);
	});

	test.each(TOOLS)("$type: the node's every parameter, as n8n serves the node itself", (tool) => {
		const toolEntry = listed.find((description) => description.name === tool.type);
		const nodeEntry = listed.find((description) => description.name === tool.node);
		if (toolEntry === undefined || nodeEntry === undefined)
			throw new Error(`${tool.type} or ${tool.node} is not in /types/nodes.json (${version})`);
		const served = nodeEntry.properties.map((property) => property.name);
		expect(served).toEqual(expect.arrayContaining(tool.parameters));
		// Resources, operations, fields, options, display rules: the tool's are the node's own.
		expect(
			toolEntry.properties.filter((property) => !TOOL_WRAPPER_PARAMETERS.includes(property.name)),
		).toEqual(nodeEntry.properties);
	});
});
