import { BadRequestException, Injectable, type PipeTransform } from '@nestjs/common';
import { type CustomerId, explainInvalidCustomerId } from '@logstream/tenancy';
import { quoteInput } from './error-body.factory';

export const CREDENTIAL_ID_PATTERN = /^[a-z0-9]{1,32}$/;

/** The `{id}` path segment, checked against the contract's customer id rule. */
@Injectable()
export class CustomerIdPipe implements PipeTransform<unknown, CustomerId> {
  transform(value: unknown): CustomerId {
    const reason = explainInvalidCustomerId(value);
    if (reason !== undefined) {
      throw new BadRequestException(`invalid customer id ${quoteInput(value)}: ${reason}`);
    }
    return value as CustomerId;
  }
}

@Injectable()
export class CredentialIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !CREDENTIAL_ID_PATTERN.test(value)) {
      throw new BadRequestException(
        `invalid credential id ${quoteInput(value)}: it is 1 to 32 lowercase letters and digits`,
      );
    }
    return value;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A token id: the UUID the token was issued with. */
@Injectable()
export class TokenIdPipe implements PipeTransform<unknown, string> {
  transform(value: unknown): string {
    if (typeof value !== 'string' || !UUID.test(value.toLowerCase())) {
      throw new BadRequestException(`invalid token id ${quoteInput(value)}: it is a UUID`);
    }
    return value.toLowerCase();
  }
}
