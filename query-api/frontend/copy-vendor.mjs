// Copies the standalone (no bundler needed) builds of the page's libraries from node_modules to the directory given
// as the first argument (the Maven build passes target/generated-resources/frontend/META-INF/resources/vendor).
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: npm run build -- <output directory>');
  process.exit(2);
}
const files = [
  ['lightweight-charts/dist/lightweight-charts.standalone.production.js', 'lightweight-charts.standalone.production.js'],
  ['lightweight-charts/LICENSE', 'lightweight-charts.LICENSE.txt'],
];
mkdirSync(outDir, { recursive: true });
for (const [from, to] of files) {
  const source = join(moduleDir, 'node_modules', from);
  if (!existsSync(source)) {
    console.error(`missing ${source}: run npm ci first`);
    process.exit(1);
  }
  copyFileSync(source, join(outDir, to));
  console.log(`copied ${from} -> ${join(outDir, to)}`);
}
