/**
 * Runs the Durst Analytics Trigger's polls through n8n-core's real PollContext on one Workflow
 * object that lives across polls, as an active workflow does in n8n: its static data persists in
 * memory between polls, and what n8n would save is a copy of it.
 */
import { PollContext } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { DURST_TRIGGER_TYPE, makeAdditionalData, nodeTypes } from './package';

export const TRIGGER_NAME = 'Durst Analytics Trigger';

export class PollHarness {
	readonly workflow: Workflow;
	private readonly node: INode;

	constructor(
		parameters: INodeParameters,
		private readonly credentials: Record<string, ICredentialDataDecryptedObject>,
		staticData?: IDataObject,
	) {
		this.node = {
			id: 'trigger-0',
			name: TRIGGER_NAME,
			type: DURST_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, ...parameters },
			credentials: { durstAnalyticsApi: { id: 'cred-1', name: 'Test credential' } },
		};
		this.workflow = new Workflow({
			id: 'wf-trigger',
			nodes: [this.node],
			connections: {},
			nodeTypes,
			active: true,
			staticData: staticData ? structuredClone(staticData) : undefined,
			settings: { executionOrder: 'v1' },
		});
	}

	/** One poll; the items it emits (first output), or null when it emits nothing. */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<IDataObject[] | null> {
		const context = new PollContext(
			this.workflow,
			this.node,
			makeAdditionalData(undefined, this.credentials),
			mode,
			'activate',
		);
		const type = nodeTypes.getByNameAndVersion(DURST_TRIGGER_TYPE);
		if (!type.poll) throw new Error('the trigger has no poll method');
		const result = await type.poll.call(context);
		return result === null ? null : (result[0] ?? []).map((item) => item.json);
	}

	/** Static data as n8n would save it (a plain copy). */
	get staticData(): IDataObject {
		return JSON.parse(
			JSON.stringify(this.workflow.staticData, (key, value: unknown) =>
				key === '__dataChanged' ? undefined : value,
			),
		) as IDataObject;
	}
}
