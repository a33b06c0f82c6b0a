/** The server entry: the proxy handler, its configuration and session helpers. */
export { createCancelHandler } from './app';
export type { CancelHandler } from './app';
export type { CancelHandlerOptions, HeimOptions } from './options';
export { loadConfigFromEnv, ConfigError } from './config';
export type { ProxyServerConfig } from './config';
export {
  SESSION_COOKIE_NAME,
  createPatientSession,
  sessionCookie,
  clearedSessionCookie,
  verifyPatientSession,
  createSessionVerifier,
  sessionKey,
} from './session';
export type { PatientIdentity, CreatePatientSessionOptions, SessionPolicy, SessionVerifier } from './session';
export type { Authenticate, AuthenticateContext, CancelHandlerContext } from './portal-authenticate';
export { consoleJsonLogger, silentLogger } from './logger';
export type { Logger, LogEntry, LogLevel } from './logger';
export { startProxyServer } from './serve';
export { toNodeListener } from './node-listener';
export type { NodeListenerOptions, NodeRequestListener } from './node-listener';
export type { ProxyServerOptions, RunningProxyServer } from './serve';
