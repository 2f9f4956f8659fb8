import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const OPENAPI_PATH = 'docs';
export const OPENAPI_JSON_PATH = 'docs/openapi.json';

/** Serves the OpenAPI description at /docs (UI) and /docs/openapi.json. */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Logstream control API')
    .setDescription(
      'Customers, the streaming switch, credentials and tokens. Every error answers ' +
        '`{ statusCode, error, message }`. Authenticate with `Authorization: Bearer <token>`: ' +
        'admin tokens come from the configuration, customer tokens are issued by an admin and ' +
        'see their own customer only.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup(OPENAPI_PATH, app, document, { jsonDocumentUrl: OPENAPI_JSON_PATH });
}
