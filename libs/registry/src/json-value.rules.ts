/**
 * A Kafka record's value as a JSON object, or why it is not one (`subject` names it in the
 * reason: "value for acme"). The platform's record readers check every field after this.
 */
export function jsonObjectOf(
  value: Buffer,
  subject: string,
): { object: Record<string, unknown> } | { reason: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.toString('utf8'));
  } catch {
    return { reason: `${subject} is not JSON` };
  }
  if (typeof parsed !== 'object' || parsed === null)
    return { reason: `${subject} is not an object` };
  return { object: parsed as Record<string, unknown> };
}
