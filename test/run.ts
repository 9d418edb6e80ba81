// Runs `bun test` and ends with the line CI reads: "N passed, N failed".
// Arguments are passed through to `bun test` (e.g. a path filter).

const proc = Bun.spawn([process.execPath, 'test', '--timeout', '60000', ...process.argv.slice(2)], {
  stdout: 'pipe',
  stderr: 'pipe',
  env: { ...process.env, FORCE_COLOR: '0' },
});

let text = '';
async function pump(stream: ReadableStream<Uint8Array>, out: NodeJS.WriteStream): Promise<void> {
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    const s = decoder.decode(chunk, { stream: true });
    text += s;
    out.write(s);
  }
}
await Promise.all([pump(proc.stdout, process.stdout), pump(proc.stderr, process.stderr)]);
const code = await proc.exited;

const count = (word: string): number => {
  const m = text.match(new RegExp(`^\\s*(\\d+) ${word}$`, 'm'));
  return m ? Number(m[1]) : 0;
};
const passed = count('pass');
const failed = count('fail');
const skipped = count('skip');
const broken = code !== 0 && failed === 0 ? 1 : failed;
process.stdout.write(`\n${passed} passed, ${broken} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(code === 0 && passed > 0 ? 0 : code || 1);

export {};
