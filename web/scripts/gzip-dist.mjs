// Writes a .gz beside every compressible file of dist/ (the server embeds both and
// sends the gzip one to clients that accept it), and prints the console's size.
import { gzipSync } from "node:zlib";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
const compressible = /\.(js|css|html|svg|json|txt|map)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let jsCss = 0;
for (const path of [...files(dist)]) {
  if (!compressible.test(path)) continue;
  const gz = gzipSync(readFileSync(path), { level: 9 });
  if (/\.(js|css)$/.test(path)) jsCss += gz.length;
  if (gz.length < statSync(path).size) writeFileSync(`${path}.gz`, gz);
  else console.log(`kept ${relative(dist, path)} uncompressed`);
}
console.log(`console JS+CSS gzipped: ${(jsCss / 1024).toFixed(1)} KiB`);
