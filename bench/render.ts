// npm run bench:render -- <result.json>... — writes <result>.md and <result>.svg beside each file.
import { renderStoredResult } from './results-writer';

const files = process.argv.slice(2);
if (files.length === 0 || files.some((f) => !f.endsWith('.json'))) {
  console.error('usage: npm run bench:render -- <result.json>...');
  process.exit(2);
}
for (const file of files) console.log(`wrote ${renderStoredResult(file).join(', ')}`);
