/** A one-line progress bar on stderr, drawn only for a person at a terminal (never into logs or pipes). */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): { tick(): void; done(): void } {
  if (!stream.isTTY || total < 2) return { tick() {}, done() {} };
  let count = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    stream.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${count}/${total}`);
  };
  draw();
  return {
    tick() {
      count++;
      draw();
    },
    done() {
      stream.write('\r\x1b[K');
    },
  };
}
