/**
 * The fixed printers and the catalogues their clock-grid data is drawn from. Grid data is computed
 * from the simulator clock on fixed time grids, so the same query at the same simulated time always
 * gives the same answer, while "the last 24 hours" is never empty.
 */
import type { DURST_COLOURS, DurstPrinterDetail } from './types';

/** Litres per printing hour at factor 1. */
export const INK_RATE_PER_HOUR: Readonly<Record<(typeof DURST_COLOURS)[number], number>> = {
	cyan: 0.12,
	magenta: 0.1,
	yellow: 0.09,
	black: 0.15,
	lightCyan: 0.04,
	lightMagenta: 0.035,
	white: 0.06,
};

export const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export interface PrinterFixture extends DurstPrinterDetail {
	number: number;
	errorEveryMs: number;
	errorOffsetMs: number;
	jobEveryMs: number;
	jobOffsetMs: number;
	jobDurationMs: number;
	inkFactor: number;
}

export const PRINTER_FIXTURES: readonly PrinterFixture[] = [
	{
		id: 'P-1001',
		number: 1001,
		serialNumber: 'DRH1312-0001',
		name: 'Rho 1312',
		status: 'Running',
		inkLevelPercent: 82,
		errorEveryMs: 3 * HOUR_MS,
		errorOffsetMs: 10 * MINUTE_MS,
		jobEveryMs: 2 * HOUR_MS,
		jobOffsetMs: 5 * MINUTE_MS,
		jobDurationMs: 90 * MINUTE_MS,
		inkFactor: 1,
	},
	{
		id: 'P-1002',
		number: 1002,
		serialNumber: 'DRH2500-0002',
		name: 'Rho 2500',
		status: 'Idle',
		inkLevelPercent: 47,
		errorEveryMs: 5 * HOUR_MS,
		errorOffsetMs: 25 * MINUTE_MS,
		jobEveryMs: 3 * HOUR_MS,
		jobOffsetMs: 15 * MINUTE_MS,
		jobDurationMs: 120 * MINUTE_MS,
		inkFactor: 0.6,
	},
	{
		id: 'P-1003',
		number: 1003,
		serialNumber: 'DP5350-0003',
		name: 'P5 350',
		status: 'Setup',
		inkLevelPercent: 65,
		errorEveryMs: 7 * HOUR_MS,
		errorOffsetMs: 40 * MINUTE_MS,
		jobEveryMs: 4 * HOUR_MS,
		jobOffsetMs: 30 * MINUTE_MS,
		jobDurationMs: 45 * MINUTE_MS,
		inkFactor: 0.8,
	},
	{
		id: 'P-1004',
		number: 1004,
		serialNumber: 'DTAU330-0004',
		name: 'Tau 330 RSC',
		status: 'Breakdown',
		inkLevelPercent: 12,
		errorEveryMs: 1 * HOUR_MS,
		errorOffsetMs: 55 * MINUTE_MS,
		jobEveryMs: 6 * HOUR_MS,
		jobOffsetMs: 45 * MINUTE_MS,
		jobDurationMs: 200 * MINUTE_MS,
		inkFactor: 0.2,
	},
];

/** The fixed printers (ids `P-1001` ... `P-1004`), one per status. */
export const DURST_PRINTERS: readonly DurstPrinterDetail[] = PRINTER_FIXTURES.map(
	({ id, serialNumber, name, status, inkLevelPercent }) => ({
		id,
		serialNumber,
		name,
		status,
		inkLevelPercent,
	}),
);

export const ERROR_CATALOGUE: readonly { errorNr: number; errorMessage: string }[] = [
	{ errorNr: 1012, errorMessage: 'Ink level low' },
	{ errorNr: 2045, errorMessage: 'Printhead temperature out of range' },
	{ errorNr: 3301, errorMessage: 'Media jam detected' },
	{ errorNr: 4100, errorMessage: 'Vacuum table pressure low' },
	{ errorNr: 5007, errorMessage: 'UV lamp intensity degraded' },
	{ errorNr: 6120, errorMessage: 'Emergency stop pressed' },
];

export const OPERATORS: readonly string[] = ['operator', 'a.weber', 'm.rossi', 'jürgen+admin'];

export const JOB_TITLES: readonly string[] = [
	'Banner 3x1 m',
	'Window graphics "Spring Sale"',
	'Trade show wall & backdrop',
	'Floor sticker <Zone A>',
	'Ceramic tile 60x60 / series 7',
	'Poster A0 – Müller GmbH',
];
