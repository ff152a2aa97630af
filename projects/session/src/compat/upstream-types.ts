// Types the published 0.0.18–0.0.24 releases exported, kept so code importing them compiles unchanged.
import type { BuiltinDriverOptions } from 'unstorage';
import type { DriverOptions } from '../stores/create-unstorage-store';

/** Name of an unstorage built-in driver that has an options type, e.g. `'redis'` or `'fs'`. */
export type AvailableDrivers = keyof BuiltinDriverOptions;

/**
 * The {@link DriverOptions} of one driver, with its `options` required, as 0.0.18 typed them.
 *
 * @example
 * const redis: ExtractDriverOptions<'redis'> = { type: 'redis', options: { url: process.env['REDIS_URL'] } };
 */
export type ExtractDriverOptions<K extends AvailableDrivers> = Extract<DriverOptions, { type: K }> & { options: BuiltinDriverOptions[K] };
