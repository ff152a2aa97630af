import { defineSessionMiddleware } from '@analog-tools/session';
import { sessionConfig } from '../session-config';

export default defineSessionMiddleware(sessionConfig);
