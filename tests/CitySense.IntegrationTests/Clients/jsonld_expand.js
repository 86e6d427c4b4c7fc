// Expands one JSON-LD document (a file) with the jsonld processor, fetching contexts from the running silo only.
// Usage: node jsonld_expand.js <baseUrl> <file> ; prints the expanded document on stdout.
'use strict';
const fs = require('fs');
const jsonld = require('jsonld');

const [baseUrl, file] = process.argv.slice(2);

const documentLoader = async (url) => {
  if (!url.startsWith(baseUrl + '/')) {
    throw new Error('context outside the silo requested: ' + url);
  }
  const response = await fetch(url, { headers: { Accept: 'application/ld+json' } });
  return { contextUrl: null, documentUrl: url, document: await response.json() };
};

(async () => {
  const expanded = await jsonld.expand(JSON.parse(fs.readFileSync(file, 'utf8')), { documentLoader, safe: true });
  process.stdout.write(JSON.stringify(expanded));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
