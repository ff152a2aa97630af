/*
 * Public API of @analog-tools/session-angular/analog: the one-call setup for Analog apps. The only entry point
 * that imports @analogjs/router (an optional peer dependency of the package).
 */
export { withAnalog, type AnalogSessionOptions } from './with-analog';
