/**
 * A printer the Durst user may not see (403 while the token lives) is skipped for the poll with a
 * warning in n8n's log and costs no login; the other printers' events are reported as usual.
 */
import { n8nLogText } from '../harness/assertions';
import { errorSummary, useTriggerFixture } from './support';

const f = useTriggerFixture();

afterEach(() => {
	f.sim.forbiddenPrinters.clear();
});

/** n8n's warnings of skipped printers (one JSON object a line) written since `from`. */
function warnings(from: number): string[] {
	return n8nLogText()
		.slice(from)
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => JSON.parse(line) as { level?: string; message?: string })
		.filter((entry) => entry.level === 'warn')
		.map((entry) => String(entry.message))
		.filter((message) => message.includes('skipped in this poll'));
}

/** n8n's file logger writes asynchronously: wait until `count` warnings are there. */
async function warningsAfter(from: number, count: number): Promise<string[]> {
	for (let waited = 0; waited < 5_000 && warnings(from).length < count; waited += 50) {
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	return warnings(from);
}

test.each([
	['the chosen printers', ['P-1001', 'P-1003', 'P-1004']],
	['every printer', []],
])(
	'a forbidden printer among %s: the others report, one login over 5 polls, a warning',
	async (_label, printerIds) => {
		f.sim.forbiddenPrinters.add('P-1003');
		const logStart = n8nLogText().length;
		const trigger = f.trigger({ event: 'newPrinterError', printerIds });
		expect(await trigger.poll()).toBeNull();
		const reported: string[] = [];
		for (let poll = 1; poll <= 4; poll++) {
			const at = Date.now() - 1000;
			f.sim.addError('P-1001', { at, errorNr: poll, errorMessage: 'allowed' });
			f.sim.addError('P-1003', { at, errorNr: 100 + poll, errorMessage: 'forbidden' });
			f.sim.addError('P-1004', { at, errorNr: 200 + poll, errorMessage: 'allowed' });
			reported.push(...errorSummary(await trigger.poll()));
		}
		expect(reported.sort()).toEqual(
			['P-1001 1', 'P-1001 2', 'P-1001 3', 'P-1001 4']
				.concat(['P-1004 201', 'P-1004 202', 'P-1004 203', 'P-1004 204'])
				.sort(),
		);
		expect(f.sim.logins).toBe(1);
		// One warning per poll, naming the printer and nothing secret.
		expect(await warningsAfter(logStart, 5)).toEqual(
			Array.from(
				{ length: 5 },
				() =>
					'Durst Analytics Trigger: the user may not see printer "P-1003" (status 403); skipped in this poll',
			),
		);
		const log = n8nLogText().slice(logStart);
		for (const secret of f.secrets()) expect(log).not.toContain(secret);
	},
);

test('jobs of a forbidden printer are skipped too; a finished job of another is reported', async () => {
	f.sim.forbiddenPrinters.add('P-1002');
	const trigger = f.trigger({ event: 'jobFinished', printerIds: ['P-1001', 'P-1002'] });
	expect(await trigger.poll()).toBeNull();
	const now = Date.now();
	const job = f.sim.addJob('P-1001', { startAt: now - 60_000, endAt: now - 1000 });
	f.sim.addJob('P-1002', { startAt: now - 60_000, endAt: now - 1000 });
	const items = await trigger.poll();
	expect((items ?? []).map((item) => [item.printerId, item.id])).toEqual([['P-1001', job]]);
	expect(f.sim.logins).toBe(1);
});
