/**
 * The bounded map behind the process's caches (token cache, keys, URL verdicts): the least
 * recently used entry goes first, whether it was last read or last written.
 */
import { LruMap } from '../../nodes/shared/lru';

describe('LruMap', () => {
	it('drops the entry used longest ago: a read counts as a use', () => {
		const lru = new LruMap<string, number>(2);
		lru.set('a', 1);
		lru.set('b', 2);
		expect(lru.get('a')).toBe(1);
		lru.set('c', 3);
		expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
	});

	it('reading the newest entry again keeps the order of the others', () => {
		const lru = new LruMap<string, number>(3);
		lru.set('a', 1);
		lru.set('b', 2);
		lru.set('c', 3);
		lru.get('a');
		lru.get('a');
		lru.get('b');
		lru.get('b');
		// Used from longest ago: c, a, b.
		lru.set('d', 4);
		expect(lru.get('c')).toBeUndefined();
		lru.set('e', 5);
		expect(lru.get('a')).toBeUndefined();
		expect([lru.get('b'), lru.get('d'), lru.get('e')]).toEqual([2, 4, 5]);
	});

	it('an entry written last is the newest: reading an older one moves it past it', () => {
		const lru = new LruMap<string, number>(2);
		lru.set('a', 1);
		lru.get('a');
		lru.set('b', 2);
		// 'a' was read after 'b' was written: 'b' is the one used longest ago.
		lru.get('a');
		lru.set('c', 3);
		expect([lru.get('a'), lru.get('b'), lru.get('c')]).toEqual([1, undefined, 3]);
	});
});
