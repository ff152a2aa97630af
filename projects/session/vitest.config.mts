import { sessionProject } from './vitest.shared.mts';

export default sessionProject('session', ['src/**/*.spec.ts', 'test/**/*.spec.ts']);
