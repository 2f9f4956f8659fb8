import { DataSource } from 'typeorm';
import { loadDatabaseConfig } from '@logstream/config';
import { typeOrmOptions } from './persistence.factory';

/** For the TypeORM CLI (`npm run migration:run|revert|generate`). */
export default new DataSource(typeOrmOptions(loadDatabaseConfig(), 'logstream-migrations'));
