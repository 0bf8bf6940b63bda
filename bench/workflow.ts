/**
 * The shape of an n8n workflow as `n8n import:workflow` takes it, and what every workflow the
 * benchmark builds in code shares: stable ids and a straight chain of connections.
 */
import { createHash } from 'node:crypto';

/** The HTTP Request node version present in n8n 2.40.7's n8n-nodes-base (checked in .hosts). */
export const HTTP_REQUEST_VERSION = 4.5;

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	/** Webhook nodes: n8n registers the production path under it. */
	webhookId?: string;
	executeOnce?: boolean;
	/** n8n's node setting On Error ('continueRegularOutput': failed items come out as error items). */
	onError?: string;
	/** n8n's node settings Retry On Fail: the whole node runs again after an error. */
	retryOnFail?: boolean;
	maxTries?: number;
	waitBetweenTries?: number;
	credentials?: Record<string, { id: string; name: string }>;
}

export interface Workflow {
	id: string;
	name: string;
	active: boolean;
	/** n8n 2.x refuses to import a workflow without one. */
	versionId: string;
	settings: Record<string, unknown>;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	>;
}

/** A stable UUID from a seed, so re-imported workflows keep their node ids. */
export function uuid(seed: string): string {
	const hex = createHash('sha256').update(seed).digest('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Connects the named nodes one after another. */
export function chain(names: string[]): Workflow['connections'] {
	const connections: Workflow['connections'] = {};
	for (let i = 0; i + 1 < names.length; i++) {
		connections[names[i]] = { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] };
	}
	return connections;
}
