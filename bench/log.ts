/** The benchmark's progress, on stderr: stdout carries only the report. */
export function log(line: string): void {
	process.stderr.write(`[bench] ${line}\n`);
}
