/**
 * The trigger under n8n 2.x's durable poller cursors (N8N_POLLER_DURABLE_CURSORS_ENABLED), as
 * n8n's trigger-execution-context.factory.js runs a poll there: the node's static data is a deep
 * copy of the saved cursor (`poller_state`), and what the poll leaves in it is saved only after the
 * poll returned, together with the execution. Here the test decides when n8n saves.
 */
import { PollContext } from 'n8n-core';
import type { IDataObject, INode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { HANDOFF_MS } from '../../nodes/DurstAnalytics/trigger/handoff';
import { DURST_TRIGGER_TYPE, makeAdditionalData, nodeTypes } from '../harness/package';
import type { TriggerFixture } from './support';
import { useFakeClock, useTriggerFixture } from './support';

const f = useTriggerFixture();
const { fakeDate, clockAt } = useFakeClock(f);

let workflows = 0;

/** One poll node whose cursor lives outside its workflow, saved when the test says. */
class DurableCursor {
	/** The cursor as n8n's table holds it. */
	saved: IDataObject = {};
	private readonly workflow: Workflow;
	private readonly node: INode;

	constructor(private readonly fixture: TriggerFixture) {
		workflows += 1;
		this.node = {
			id: 'durable-trigger',
			name: 'Durst Analytics Trigger',
			type: DURST_TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				event: 'printerStatusChanged',
				toStatus: ['Breakdown'],
			},
			credentials: { durstAnalyticsApi: { id: 'cred-1', name: 'Test credential' } },
		};
		this.workflow = new Workflow({
			id: `wf-durable-${workflows}`,
			nodes: [this.node],
			connections: {},
			nodeTypes,
			active: true,
			settings: { executionOrder: 'v1' },
		});
	}

	/** One poll on a copy of the saved cursor: the printers it reports and the cursor it leaves. */
	async poll(): Promise<{ printers: string[] | null; left: IDataObject }> {
		const snapshot = structuredClone(this.saved);
		const context = new PollContext(
			this.workflow,
			this.node,
			makeAdditionalData(undefined, this.fixture.credentials()),
			'trigger',
			'activate',
			undefined,
			undefined,
			undefined,
			undefined,
			() => snapshot,
		);
		const type = nodeTypes.getByNameAndVersion(DURST_TRIGGER_TYPE);
		if (!type.poll) throw new Error('the trigger has no poll method');
		const result = await type.poll.call(context);
		const printers =
			result === null ? null : (result[0] ?? []).map((item) => String(item.json.printerId));
		return { printers, left: snapshot };
	}

	/** n8n saves what a poll left (with its execution, when it reported something). */
	save(left: IDataObject): void {
		this.saved = structuredClone(left);
	}
}

/** The same JSON with every object's keys in reverse order, as a database may give it back. */
function reordered(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(reordered);
	if (value === null || typeof value !== 'object') return value;
	return Object.fromEntries(
		Object.entries(value)
			.reverse()
			.map(([key, entry]) => [key, reordered(entry)]),
	);
}

describe('durable poller cursors', () => {
	test('a poll that starts before n8n saved the last report is skipped; once saved, polls go on', async () => {
		const node = new DurableCursor(f);
		const first = await node.poll();
		expect(first.printers).toBeNull();
		node.save(first.left);

		f.sim.setPrinterStatus('P-1001', 'Breakdown');
		const reported = await node.poll();
		expect(reported.printers).toEqual(['P-1001']);

		// n8n has not saved yet: this poll reads the cursor from before the report.
		const requestsBefore = f.sim.requests;
		const early = await node.poll();
		expect(early.printers).toBeNull();
		expect(early.left).toEqual(node.saved);
		expect(f.sim.requests).toBe(requestsBefore);

		node.save(reported.left);
		// A poll without events moves the cursor on; the poll after it is not held back either.
		const quiet = await node.poll();
		expect(quiet.printers).toBeNull();
		expect(quiet.left).not.toEqual(reported.left);
		node.save(quiet.left);
		f.sim.setPrinterStatus('P-1002', 'Breakdown');
		const next = await node.poll();
		expect(next.printers).toEqual(['P-1002']);
		node.save(next.left);
		expect((await node.poll()).printers).toBeNull();
	});

	test('a cursor n8n saved with its keys in another order is the same cursor', async () => {
		const node = new DurableCursor(f);
		node.save((await node.poll()).left);
		f.sim.setPrinterStatus('P-1003', 'Breakdown');
		const reported = await node.poll();
		expect(reported.printers).toEqual(['P-1003']);
		node.save(reordered(reported.left) as IDataObject);
		expect(JSON.stringify(node.saved)).not.toBe(JSON.stringify(reported.left));

		f.sim.setPrinterStatus('P-1002', 'Breakdown');
		expect((await node.poll()).printers).toEqual(['P-1002']);
	});

	test('a report n8n never saved (its execution failed with it) is made again once the wait is over', async () => {
		const t0 = Date.now();
		fakeDate(t0);
		const node = new DurableCursor(f);
		node.save((await node.poll()).left);
		f.sim.setPrinterStatus('P-1001', 'Breakdown');
		expect((await node.poll()).printers).toEqual(['P-1001']);

		clockAt(t0 + HANDOFF_MS - 1_000);
		expect((await node.poll()).printers).toBeNull();
		clockAt(t0 + HANDOFF_MS + 1_000);
		const again = await node.poll();
		expect(again.printers).toEqual(['P-1001']);
		node.save(again.left);
		expect((await node.poll()).printers).toBeNull();
	});
});
