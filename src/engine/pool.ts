/** Runs `work` over `items` with at most `limit` in flight, keeping input order in the results. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Like mapConcurrent, but hands each result on as it finishes and keeps none: memory stays flat over long runs. */
export async function forEachConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>, done: (result: R, index: number) => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      done(await work(items[index]!, index), index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
