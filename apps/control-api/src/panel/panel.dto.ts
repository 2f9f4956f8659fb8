import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** Every panel form carries the session's CSRF token (checked by the guard). */
class PanelForm {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  _csrf?: string;
}

export class SignInFormDto {
  @IsString()
  @MaxLength(600, { message: 'the token is too long: paste the access token you were given' })
  token!: string;
}

export class StreamingFormDto extends PanelForm {
  @IsIn(['true', 'false'], { message: 'enabled must be true or false' })
  enabled!: 'true' | 'false';
}

export class RevokeFormDto extends PanelForm {
  @IsOptional()
  @IsIn(['yes'], { message: 'confirm must be yes' })
  confirm?: 'yes';
}

export class CsrfOnlyFormDto extends PanelForm {}

export class HighlightQueryDto {
  @IsOptional()
  @Matches(/^[a-z0-9]{1,32}$/, { message: 'highlight must be a credential id' })
  highlight?: string;
}

export class CustomerListQueryDto {
  @IsOptional()
  @Matches(/^[a-z0-9-]{1,63}$/, { message: 'after must be a customer id' })
  after?: string;
}

export class TailQueryDto {
  @IsOptional()
  @IsString()
  filter?: string;
}
