// Reads CitySense's NGSI-LD API with tools CitySense did not write: FIWARE's ngsijs client and the jsonld processor.
// Usage: node ngsi_check.js <baseUrl> <type,...> <entityId> ; prints one JSON object on stdout.
'use strict';
const jsonld = require('jsonld');
const NGSI = require('ngsijs');

const [baseUrl, types, entityId] = process.argv.slice(2);
const contextUrl = baseUrl + '/ngsi-ld/v1/context.jsonld';

// Only the running silo may be asked for a context: nothing is fetched from the internet.
const documentLoader = async (url) => {
  if (!url.startsWith(baseUrl + '/')) {
    throw new Error('context outside the silo requested: ' + url);
  }
  const response = await fetch(url, { headers: { Accept: 'application/ld+json' } });
  return { contextUrl: null, documentUrl: url, document: await response.json() };
};

async function expandAll(entities) {
  const out = [];
  for (const entity of entities) {
    const [expanded] = await jsonld.expand(entity, { documentLoader });
    out.push(expanded);
  }
  return out;
}

(async () => {
  const ld = await fetch(baseUrl + '/ngsi-ld/v1/entities?type=' + encodeURIComponent(types) + '&limit=1000', { headers: { Accept: 'application/ld+json' } });
  const inline = await ld.json();
  const asJson = await fetch(baseUrl + '/ngsi-ld/v1/entities?type=' + encodeURIComponent(types) + '&limit=1000', { headers: { Accept: 'application/json' } });
  const linked = await asJson.json();
  // An application/json body names its context in the Link header: expand it with that context, as a client would.
  const link = asJson.headers.get('link') || '';
  const linkedContext = (link.match(/^<([^>]+)>/) || [])[1];
  const expandedLinked = await expandAll(linked.map(e => Object.assign({ '@context': linkedContext }, e)));

  const connection = new NGSI.Connection(baseUrl);
  const queried = await connection.ld.queryEntities({ type: types.split(','), limit: 1000, count: true, '@context': contextUrl });
  const one = await connection.ld.getEntity({ id: entityId, '@context': contextUrl });

  const temporal = await fetch(baseUrl + '/ngsi-ld/v1/temporal/entities/' + encodeURIComponent(process.argv[5] || entityId)
    + '?aggrMethods=sum,totalCount&aggrPeriodDuration=P1D', { headers: { Accept: 'application/ld+json' } });
  const temporalBody = await temporal.json();
  const expandedTemporal = temporal.ok ? (await jsonld.expand(temporalBody, { documentLoader }))[0] : null;

  process.stdout.write(JSON.stringify({
    expanded: await expandAll(inline),
    linkContext: linkedContext,
    expandedLinked,
    ngsijs: { count: queried.count, ids: queried.results.map(e => e.id), entity: one.entity },
    temporal: { status: temporal.status, body: temporalBody, expanded: expandedTemporal },
  }));
})().catch(e => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
