import { registerDecorator, type ValidationArguments } from 'class-validator';
import { explainInvalidCustomerId } from '@logstream/tenancy';

/** The contract's customer id rule, with the reason in the message. */
export function IsCustomerId(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isCustomerId',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => explainInvalidCustomerId(value) === undefined,
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'id'} is not a valid customer id: ${explainInvalidCustomerId(args?.value) ?? ''}`,
      },
    });
  };
}

const CONTROL_CHARACTER = /\p{Cc}/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text a person typed: any script or emoji, but no control characters (PostgreSQL refuses
 * NUL) and no half of a surrogate pair (it is not a character).
 */
export function IsPlainText(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isPlainText',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' &&
          !CONTROL_CHARACTER.test(value) &&
          !LONE_SURROGATE.test(value),
        defaultMessage: (args?: ValidationArguments) =>
          `${args?.property ?? 'value'} must be plain text without control characters`,
      },
    });
  };
}
