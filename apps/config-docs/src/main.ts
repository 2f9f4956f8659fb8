import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from '@logstream/config';
import { CONFIG_REFERENCE_PATH, configurationReference } from './config-reference.factory';

// `npm run docs:config`: writes docs/configuration.md from the loaders.
const file = path.join(REPO_ROOT, CONFIG_REFERENCE_PATH);
writeFileSync(file, configurationReference());
process.stderr.write(`wrote ${file}\n`);
