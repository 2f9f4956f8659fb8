import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { quoteInput } from './error-body.factory';

/**
 * For endpoints that take no parameters in the body: an empty body or `{}` passes, any field
 * is refused (unknown fields are never silently ignored).
 */
@Injectable()
export class NoBodyPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new BadRequestException('the request body must be a JSON object');
    }
    const fields = Object.keys(value);
    if (fields.length > 0) {
      throw new BadRequestException(
        `this endpoint takes no body fields: property ${quoteInput(fields[0])} should not exist`,
      );
    }
    return undefined;
  }
}
