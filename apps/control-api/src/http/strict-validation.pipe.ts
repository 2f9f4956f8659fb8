import {
  type ArgumentMetadata,
  BadRequestException,
  Injectable,
  ValidationPipe,
} from '@nestjs/common';
import type { ValidationError } from 'class-validator';

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype'];

function messages(errors: readonly ValidationError[], parent = ''): string[] {
  return errors.flatMap((e) => {
    const own = Object.values(e.constraints ?? {}).map((m) =>
      parent === '' ? m : `${parent}.${m}`,
    );
    return [
      ...own,
      ...messages(e.children ?? [], parent === '' ? e.property : `${parent}.${e.property}`),
    ];
  });
}

/**
 * class-validator with unknown fields rejected, no type coercion of bodies, and one readable
 * message. Bodies must be JSON objects: arrays, null and prototype keys are refused before
 * class-transformer sees them; a missing body counts as `{}`.
 */
@Injectable()
export class StrictValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      stopAtFirstError: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new BadRequestException(messages(errors).join('; ')),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      const input = value === undefined ? {} : value;
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new BadRequestException(`the request ${metadata.type} must be a JSON object`);
      }
      const bad = Object.keys(input).find((k) => FORBIDDEN_KEYS.includes(k));
      if (bad !== undefined) throw new BadRequestException(`property ${bad} should not exist`);
      return super.transform(input, metadata);
    }
    return super.transform(value, metadata);
  }
}
