import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { OpenFeature, type EvaluationContext, type EvaluationDetails, type JsonValue } from '@openfeature/web-sdk';

/**
 * The official OFREP web provider in a real page: `window.evaluateTable` evaluates the compatibility
 * table (test/src/compat) case by case, setting each case's context first, and answers the
 * OpenFeature evaluation details it got.
 */
interface CompatCase {
  id: string;
  flag: string;
  type: 'boolean' | 'string' | 'number' | 'object';
  default: JsonValue;
  context: EvaluationContext;
}

async function evaluateTable(table: { baseUrl: string; key: string; cases: CompatCase[] }) {
  const domain = 'compat';
  await OpenFeature.setContext(domain, table.cases[0]?.context ?? {});
  // No local cache: its answers come as reason CACHED before the relay's, for a context just set.
  const provider = new OFREPWebProvider({
    baseUrl: table.baseUrl,
    headers: [['Authorization', `Bearer ${table.key}`]],
    cacheMode: 'disabled',
  });
  await OpenFeature.setProviderAndWait(domain, provider);
  const client = OpenFeature.getClient(domain);
  const outcomes = [];
  for (const c of table.cases) {
    await OpenFeature.setContext(domain, c.context);
    const details = evaluate(client, c);
    outcomes.push({
      id: c.id,
      value: details.value,
      variant: details.variant,
      reason: details.reason,
      errorCode: details.errorCode,
    });
  }
  await OpenFeature.close();
  return outcomes;
}

function evaluate(client: ReturnType<typeof OpenFeature.getClient>, c: CompatCase): EvaluationDetails<JsonValue> {
  switch (c.type) {
    case 'boolean':
      return client.getBooleanDetails(c.flag, c.default as boolean);
    case 'string':
      return client.getStringDetails(c.flag, c.default as string);
    case 'number':
      return client.getNumberDetails(c.flag, c.default as number);
    case 'object':
      return client.getObjectDetails(c.flag, c.default);
  }
}

(window as unknown as { evaluateTable: typeof evaluateTable }).evaluateTable = evaluateTable;
document.querySelector('#status')!.textContent = 'ready';
