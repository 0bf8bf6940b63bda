import type { ResourceModule } from '../../shared/operation';
import type { DurstSession } from '../transport/session';
import * as get from './printer/get.operation';
import * as getAll from './printer/getAll.operation';
import * as getErrors from './printer/getErrors.operation';
import * as getInkConsumption from './printer/getInkConsumption.operation';

export const printer: ResourceModule<DurstSession> = {
	option: { name: 'Printer', value: 'printer' },
	defaultOperation: 'getAll',
	operations: [get, getAll, getErrors, getInkConsumption],
};
