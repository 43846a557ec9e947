// The command-line helpers the shells (host, central server, release tool) share.
export { parseOptions, parsePort, SERVER_OPTIONS } from './parse-options';
