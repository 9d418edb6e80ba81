// Checks output records against schema/parsed-bug.schema.json, the JSON Schema that ships with
// customs, so every record a test produces is also a valid line of the contract.

import Ajv, { type ErrorObject } from 'ajv';
import schema from '../../schema/parsed-bug.schema.json' with { type: 'json' };

const ajv = new Ajv({ allErrors: true });
const validate = ajv.compile(schema);

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  const messages = (errors ?? [])
    // The if/then/else wrappers only repeat what the branch already said.
    .filter((e) => e.keyword !== 'if')
    .map((e) => {
      const extra = e.params as { additionalProperty?: unknown };
      const name = typeof extra.additionalProperty === 'string' ? ` (${extra.additionalProperty})` : '';
      return `${e.instancePath || '(record)'} ${e.message ?? 'is invalid'}${name}`;
    });
  return [...new Set(messages)].join('; ');
}

/** Throws, with ajv's reasons and the record, when `record` is not a valid output line. */
export function assertValidRecord(record: unknown): void {
  if (!validate(record)) {
    throw new Error(`invalid record: ${describe(validate.errors)}\n${JSON.stringify(record, null, 2)}`);
  }
}

/** One message per invalid record (`#index: reasons`); empty when all are valid. */
export function validateRecords(records: readonly unknown[]): string[] {
  const problems: string[] = [];
  records.forEach((record, index) => {
    if (!validate(record)) problems.push(`#${index}: ${describe(validate.errors)}`);
  });
  return problems;
}
