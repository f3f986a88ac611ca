import { benchIngest } from './ingest.bench.js';
const rows = await benchIngest({ entities: 10_000, rules: Number(process.argv[2] ?? 200), same: 1000, cold: 50_000, warm: 100_000, haws: false, pacedSeconds: 0 });
for (const r of rows) process.stdout.write(`${r.figure} ${r.bot} ${r.ceiling}\n`);
process.exit(0);
