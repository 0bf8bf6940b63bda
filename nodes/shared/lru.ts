/**
 * A Map bounded by least-recent use: what a process remembers per credential (keys, salts, tokens)
 * stays bounded without forgetting everything at once when the bound is reached.
 */
export class LruMap<K, V> {
	private readonly entries = new Map<K, V>();

	/** The key last used: asked again (an execution's items use the same few), it is not moved. */
	private newest: K | undefined;

	constructor(private readonly capacity: number) {}

	get(key: K): V | undefined {
		const value = this.entries.get(key);
		if (value !== undefined && key !== this.newest) {
			// Re-inserting moves the key to the end: Map keeps insertion order.
			this.entries.delete(key);
			this.entries.set(key, value);
			this.newest = key;
		}
		return value;
	}

	set(key: K, value: V): void {
		this.entries.delete(key);
		this.entries.set(key, value);
		this.newest = key;
		while (this.entries.size > this.capacity) {
			const oldest = this.entries.keys().next().value as K;
			this.entries.delete(oldest);
		}
	}

	delete(key: K): boolean {
		return this.entries.delete(key);
	}

	/** Drops every entry whose key matches, e.g. what belongs to a superseded password. */
	deleteWhere(matches: (key: K) => boolean): void {
		for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
	}

	get size(): number {
		return this.entries.size;
	}
}
